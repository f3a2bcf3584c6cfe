/* The output folder of run, compare, calibrate and sensitivity: opening it on MPI rank 0, the
 * head of run.log, the gnuplot scripts, committing or removing it, and the failure message. */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "as_config.h"
#include "asylsim/parallel.h"

as_status as_cli_open_out(const as_cli_common *c, const char *file, as_outdir **out, as_error *err)
{
    char dir[1024];
    if (c->out) {
        snprintf(dir, sizeof dir, "%s", c->out);
    } else {
        char stem[512];
        const char *b = strrchr(file, '/');
        b = b ? b + 1 : file;
        snprintf(stem, sizeof stem, "%s", b);
        size_t len = strlen(stem);
        if (len > 4 && strcmp(stem + len - 4, ".cfg") == 0) {
            stem[len - 4] = '\0';
        }
        snprintf(dir, sizeof dir, "results/%s", stem);
    }
    as_status st = AS_OK;
    if (as_par_is_root()) { /* MPI: rank 0 alone writes */
        st = as_outdir_open(dir, c->force, out, err);
    }
    if (*out) { /* issue #9: a signal also stops a long write */
        as_outdir_set_stop(*out, as_cli_should_stop, NULL);
    }
    return st;
}

FILE *as_cli_log_open(const as_outdir *o,
                      const char *cmd,
                      int argc,
                      char **argv,
                      unsigned threads,
                      double wall,
                      as_error *err)
{
    FILE *f = as_outdir_fopen(o, "run.log", err);
    if (!f) {
        return NULL;
    }
    char host[256] = "";
    gethostname(host, sizeof host - 1);
    time_t now = time(NULL);
    char when[64] = "";
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    fprintf(f, "asylsim %s\ncommand: asylsim %s", AS_VERSION, cmd);
    for (int i = 0; i < argc; i++) {
        fprintf(f, " %s", argv[i]);
    }
    fprintf(f, "\nfinished: %s\nhost: %s\nthreads: %u\nwall_seconds: %.3f\n", when, host, threads,
            wall);
    fprintf(f, "ranks: %d\n", as_par_size()); /* MPI processes (threads is per rank) */
    return f;
}

const char *as_cli_scripts_dir(const char *probe_name)
{
    const char *env = getenv("ASYLSIM_PLOTS");
    const char *cand[3] = {env, AS_SOURCE_PLOTS_DIR, AS_PLOTS_DIR};
    for (int i = 0; i < 3; i++) {
        char probe[4096];
        if (!cand[i] || !*cand[i]) {
            continue;
        }
        snprintf(probe, sizeof probe, "%s/%s", cand[i], probe_name);
        if (access(probe, R_OK) == 0) {
            return cand[i];
        }
    }
    return NULL;
}

const char *as_cli_plot_note(int rc)
{
    return rc == 0   ? "plots/ drawn by gnuplot"
           : rc == 1 ? "skipped: gnuplot is not installed (Debian: gnuplot-nox)"
                     : "gnuplot failed: see plots/gnuplot.log";
}

as_status as_cli_finish_out(as_outdir *out, as_status st, char *final_dir, size_t n, as_error *err)
{
    if (st == AS_OK && as_cli_signal_received()) {
        st = as_error_set(err, AS_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
    }
    snprintf(final_dir, n, "%s", out ? as_outdir_final(out) : "");
    if (st == AS_OK) {
        st = as_outdir_commit(out, err);
        out = NULL;
    }
    as_outdir_abort(out);
    return st;
}

int as_cli_fail(const char *cmd, as_status st, const as_error *err)
{
    if (st == AS_ERR_INTERRUPTED) {
        fprintf(stderr, "\nasylsim %s: interrupted; no output written\n", cmd);
    } else if (!err->file[0]) { /* no file to name: say which command failed */
        char buf[1400];
        as_error_format(err, buf, sizeof buf);
        fprintf(stderr, "asylsim %s: %s\n", cmd, buf);
    } else {
        as_cli_print_error(err);
    }
    return as_cli_exit_code(st);
}
