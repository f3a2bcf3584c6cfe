/* The progress line of run, compare, calibrate and sensitivity: whether it shows, its clock and
 * the bar of calibrate and sensitivity. */
#include "cli.h"

#include <unistd.h>

#include "asylsim/parallel.h"

void as_cli_progress_start(as_cli_progress *p, const as_cli_common *c)
{
    p->show = !c->quiet && isatty(2) && as_par_is_root();
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
}

double as_cli_progress_seconds(const as_cli_progress *p)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - p->t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - p->t0.tv_nsec);
}

void as_cli_progress_bar20(char bar[21], uint64_t done, uint64_t total)
{
    int fill = total ? (int)(20 * (done > total ? total : done) / total) : 0;
    for (int k = 0; k < 20; k++) {
        bar[k] = k < fill ? '#' : '.';
    }
    bar[20] = '\0';
}
