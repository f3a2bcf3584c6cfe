/* manifest.txt (include/asylsim/output.h): what a reader needs to reproduce the run — version,
 * seed, replications, and for each scenario its name, settings hash and effective settings. It
 * holds nothing that differs between two runs of the same inputs (no paths, command line, thread
 * or rank counts, hosts or times: those go to run.log), so it is byte-identical across them. */
#include "asylsim/output.h"

#include <inttypes.h>

#include "as_config.h"

as_status as_write_manifest(const as_outdir *o,
                            const as_run_set *sets,
                            size_t n,
                            uint64_t seed,
                            uint32_t reps,
                            as_error *err)
{
    static const char name[] = "manifest.txt";
    FILE *f = as_outdir_fopen(o, name, err);
    if (!f) {
        return err->code;
    }
    fprintf(f, "asylsim %s\n", AS_VERSION);
    fprintf(f, "seed: %" PRIu64 "\n", seed);
    fprintf(f, "replications: %u\n", (unsigned)reps);
    fprintf(f, "scenarios: %zu\n", n);
    for (size_t k = 0; k < n && !ferror(f); k++) {
        const as_scenario *s = sets[k].scn;
        fprintf(f, "\nscenario: %s\n", as_scn_name(s));
        fprintf(f, "hash: %016" PRIx64 "\n", as_scenario_hash(s));
        fputs("settings:\n", f);
        if (as_scenario_write_settings(s, f) != 0) {
            break;
        }
    }
    return as_outdir_fclose(o, name, f, err);
}
