/* Figures of calibrate and sensitivity: runs gnuplot on a script of plots/, which reads the CSV
 * files of the output folder and writes its figures into the folder's plots/. gnuplot is optional
 * (design.md): when it is missing the figures are skipped and the CSV files stand alone. Its
 * messages go to plots/gnuplot.log in the output folder, never to the terminal (only sim/cli
 * prints); the file is removed when empty. */
#include "asylsim/calib.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int as_calib_gnuplot(const as_outdir *o, const char *script, const char *vars)
{
    const char *dir = as_outdir_tmp(o);
    /* gnuplot single-quoted strings have no escapes: a folder with a quote is skipped. */
    if (strchr(dir, '\'') || (vars && strchr(vars, '"'))) {
        return 1;
    }
    size_t n = strlen(dir) + (vars ? strlen(vars) : 0) + 32;
    size_t ln = strlen(dir) + 32;
    char *expr = malloc(n);
    char *log = malloc(ln);
    if (!expr || !log) {
        free(expr);
        free(log);
        return -1;
    }
    snprintf(expr, n, "dir='%s'; %s", dir, vars ? vars : "");
    snprintf(log, ln, "%s/plots", dir);
    if (mkdir(log, 0755) != 0 && errno != EEXIST) {
        free(expr);
        free(log);
        return -1;
    }
    snprintf(log, ln, "%s/plots/gnuplot.log", dir);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa, 1, 2);
    char *argv[] = {"gnuplot", "-e", expr, (char *)script, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int result;
    if (rc != 0) {
        result = rc == ENOENT ? 1 : -1;
    } else {
        int status = 0;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
        result = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
        /* posix_spawnp reports a missing program through the child's exit status 127. */
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
            result = 1;
        }
    }
    struct stat sb;
    if (stat(log, &sb) == 0 && sb.st_size == 0) {
        unlink(log);
        /* An empty plots/ (gnuplot missing) goes too; rmdir leaves a folder with figures. */
        snprintf(log, ln, "%s/plots", dir);
        rmdir(log);
    }
    free(expr);
    free(log);
    return result;
}
