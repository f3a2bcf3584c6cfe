"""The hold benchmark of bench/hold on SimPy 3, the yardstick a Python modeller would reach for.

N processes each wait Exp(1) days, then hold again: every hold operation is one SimPy event popped
from its heap and one timeout pushed back, as bench/hold pops an event and pushes it at time +
Exp(1). The N initial waits and the M increments are drawn before the clock starts (Python's
Mersenne Twister, seed S: SimPy cannot draw from our Philox streams; the figure depends on the
distribution only). The clock runs over exactly M env.step() calls once every process has started,
which is the loop env.run() itself runs.

Run with Debian's interpreter, which sees python3-simpy3:
    /usr/bin/python3 bench/hold_simpy.py [--pending N] [--events M] [--seed S]
Prints the parameters and, as its last line, `events_per_second: X`.
"""

import argparse
import random
import time

import simpy


def holder(env, first_wait, increments):
    """One entity: waits its initial time, then holds once per increment it takes."""
    yield env.timeout(first_wait)
    for dt in increments:
        yield env.timeout(dt)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pending", type=float, default=1e5)
    ap.add_argument("--events", type=float, default=5e5)
    ap.add_argument("--seed", type=int, default=2385)
    a = ap.parse_args()
    n, m = int(a.pending), int(a.events)
    rng = random.Random(a.seed)
    first = [rng.expovariate(1.0) for _ in range(n)]
    # One shared iterator: whichever process holds next takes the next increment, as bench/hold
    # takes incr[i] for the i-th hold whatever entity it concerns.
    increments = iter([rng.expovariate(1.0) for _ in range(m + n)])

    env = simpy.Environment()
    for k in range(n):
        env.process(holder(env, first[k], increments))
    for _ in range(n):  # start every process: it yields its first wait (a push)
        env.step()
    step = env.step
    t0 = time.perf_counter()
    for _ in range(m):
        step()
    seconds = time.perf_counter() - t0

    print("structure: SimPy %s Environment" % simpy.__version__)
    print("pending: %d" % n)
    print("events: %d" % m)
    print("seed: %d" % a.seed)
    print("sim_time_reached: %.6f" % env.now)
    print("wall_seconds: %.6f" % seconds)
    print("events_per_second: %.6g" % (m / seconds))


if __name__ == "__main__":
    main()
