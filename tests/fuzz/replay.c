/* Replays inputs through a fuzz target without libFuzzer, so the ordinary builds (and their
 * sanitizer build) run the target's checks over the seed corpus and every saved reproducer:
 *
 *   fuzz_scenario_replay PATH...   each PATH a file or a folder (walked recursively)
 *
 * Standard output goes to a temporary file while the inputs run, so the target can tell when the
 * loader prints (it must not). Prints "replayed N inputs" and exits 0; a broken property aborts
 * inside the target. */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Runs the target on the bytes of file `path`; 0, or -1 if it cannot be read. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return -1;
    }
    size_t cap = 4096, n = 0;
    uint8_t *buf = malloc(cap);
    int rc = 0;
    while (buf) {
        if (n == cap) {
            uint8_t *grown = realloc(buf, 2 * cap);
            if (!grown) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = grown;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            break;
        }
    }
    if (!buf || ferror(f)) {
        fprintf(stderr, "%s: cannot read\n", path);
        rc = -1;
    } else {
        (void)LLVMFuzzerTestOneInput(buf, n);
    }
    fclose(f);
    free(buf);
    return rc;
}

/* Replays `path`, a file or a folder; adds the inputs replayed to *count. */
static int replay_path(const char *path, long *count)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        perror(path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        if (replay_file(path) != 0) {
            return -1;
        }
        ++*count;
        return 0;
    }
    struct dirent **names = NULL;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        perror(path);
        return -1;
    }
    int rc = 0;
    for (int k = 0; k < n; k++) {
        const char *e = names[k]->d_name;
        if (strcmp(e, ".") != 0 && strcmp(e, "..") != 0 && rc == 0) {
            size_t len = strlen(path) + strlen(e) + 2;
            char *child = malloc(len);
            if (!child) {
                rc = -1;
            } else {
                snprintf(child, len, "%s/%s", path, e);
                rc = replay_path(child, count);
                free(child);
            }
        }
        free(names[k]);
    }
    free(names);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s PATH...\n", argv[0]);
        return 2;
    }
    long count = 0;
    FILE *sink = tmpfile();
    int saved = dup(STDOUT_FILENO);
    if (!sink || saved < 0 || dup2(fileno(sink), STDOUT_FILENO) < 0) {
        perror("replay: redirecting standard output");
        return 1;
    }
    int rc = 0;
    for (int i = 1; i < argc && rc == 0; i++) {
        rc = replay_path(argv[i], &count);
    }
    fflush(stdout);
    dup2(saved, STDOUT_FILENO);
    close(saved);
    fclose(sink);
    if (rc != 0) {
        return 1;
    }
    printf("replayed %ld inputs\n", count);
    return 0;
}
