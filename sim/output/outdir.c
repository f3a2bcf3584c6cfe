/* Output folders (include/asylsim/output.h): everything is written into DIR.tmp-<pid>/, renamed
 * onto DIR at the end. An earlier asylsim output in DIR (it has a manifest.txt) is moved aside
 * first and removed only once the new folder is in place. */
#include "asylsim/output.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct as_outdir {
    char *final; /* DIR */
    char *tmp;   /* DIR.tmp-<pid> */
};

static char *dup_printf2(const char *a, const char *b, long n)
{
    size_t len = strlen(a) + strlen(b) + 32;
    char *s = malloc(len);
    if (s) {
        snprintf(s, len, "%s%s%ld", a, b, n);
    }
    return s;
}

int as_remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        return errno == ENOENT ? 0 : -1;
    }
    if (!S_ISDIR(st.st_mode)) {
        return unlink(path);
    }
    DIR *d = opendir(path);
    if (!d) {
        return -1;
    }
    int rc = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
            continue;
        }
        size_t len = strlen(path) + strlen(e->d_name) + 2;
        char *child = malloc(len);
        if (!child) {
            rc = -1;
            break;
        }
        snprintf(child, len, "%s/%s", path, e->d_name);
        if (as_remove_tree(child) != 0) {
            rc = -1;
        }
        free(child);
    }
    closedir(d);
    return rmdir(path) == 0 ? rc : -1;
}

/* mkdir -p of the parent folders of `path` (not `path` itself). */
static int make_parents(const char *path)
{
    char *p = strdup(path);
    if (!p) {
        return -1;
    }
    for (char *s = p + 1; *s; s++) {
        if (*s != '/') {
            continue;
        }
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

/* 1 if folder `dir` is empty, 0 if not, -1 if it cannot be read. */
static int is_empty_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        return -1;
    }
    int empty = 1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            empty = 0;
            break;
        }
    }
    closedir(d);
    return empty;
}

as_status as_outdir_open(const char *dir, int force, as_outdir **out, as_error *err)
{
    *out = NULL;
    if (!dir[0]) {
        return as_error_set(err, AS_ERR_INPUT, NULL, 0, NULL, "--out: empty folder name");
    }
    /* Strip trailing slashes so that the sibling and the renames are well formed. */
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/') {
        len--;
    }
    char *final = malloc(len + 1);
    if (!final) {
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    memcpy(final, dir, len);
    final[len] = '\0';

    struct stat st;
    if (stat(final, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            as_error_set(err, AS_ERR_INPUT, final, 0, NULL,
                         "output path exists and is not a folder");
            free(final);
            return AS_ERR_INPUT;
        }
        size_t mlen = len + 16;
        char *manifest = malloc(mlen);
        if (!manifest) {
            free(final);
            return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        }
        snprintf(manifest, mlen, "%s/manifest.txt", final);
        int has_manifest = access(manifest, F_OK) == 0;
        free(manifest);
        int empty = is_empty_dir(final);
        if (empty < 0) {
            as_error_set(err, AS_ERR_INPUT, final, 0, NULL, "cannot read output folder: %s",
                         strerror(errno));
            free(final);
            return AS_ERR_INPUT;
        }
        if (!empty && !has_manifest && !force) {
            as_error_set(
                    err, AS_ERR_INPUT, final, 0, NULL,
                    "output folder is not empty and holds no asylsim output (no manifest.txt); "
                    "choose another --out or add --force to replace it");
            free(final);
            return AS_ERR_INPUT;
        }
    }
    char *tmp = dup_printf2(final, ".tmp-", (long)getpid());
    as_outdir *o = malloc(sizeof *o);
    if (!tmp || !o) {
        free(tmp);
        free(o);
        free(final);
        return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
    }
    o->final = final;
    o->tmp = tmp;
    (void)as_remove_tree(tmp); /* a leftover of an earlier process with the same pid */
    if (make_parents(tmp) != 0 || mkdir(tmp, 0777) != 0) {
        as_error_set(err, AS_ERR_RUNTIME, tmp, 0, NULL, "cannot create output folder: %s",
                     strerror(errno));
        free(tmp);
        free(final);
        free(o);
        return AS_ERR_RUNTIME;
    }
    *out = o;
    return AS_OK;
}

const char *as_outdir_tmp(const as_outdir *o)
{
    return o->tmp;
}

const char *as_outdir_final(const as_outdir *o)
{
    return o->final;
}

FILE *as_outdir_fopen(const as_outdir *o, const char *name, as_error *err)
{
    size_t len = strlen(o->tmp) + strlen(name) + 2;
    char *path = malloc(len);
    if (!path) {
        as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        return NULL;
    }
    snprintf(path, len, "%s/%s", o->tmp, name);
    FILE *f = fopen(path, "w");
    if (!f) {
        as_error_set(err, AS_ERR_RUNTIME, path, 0, NULL, "cannot write: %s", strerror(errno));
    }
    free(path);
    return f;
}

as_status as_outdir_fclose(const as_outdir *o, const char *name, FILE *f, as_error *err)
{
    int bad = ferror(f);
    int e = errno;
    if (fclose(f) != 0 && !bad) {
        bad = 1;
        e = errno;
    }
    if (bad) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", o->final, name);
        return as_error_set(err, AS_ERR_RUNTIME, path, 0, NULL, "write failed: %s",
                            strerror(e ? e : EIO));
    }
    return AS_OK;
}

static void outdir_free(as_outdir *o)
{
    free(o->final);
    free(o->tmp);
    free(o);
}

void as_outdir_abort(as_outdir *o)
{
    if (!o) {
        return;
    }
    (void)as_remove_tree(o->tmp);
    outdir_free(o);
}

as_status as_outdir_commit(as_outdir *o, as_error *err)
{
    struct stat st;
    char *old = NULL;
    if (stat(o->final, &st) == 0) {
        old = dup_printf2(o->final, ".old-", (long)getpid());
        if (!old) {
            as_outdir_abort(o);
            return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
        }
        (void)as_remove_tree(old);
        if (rename(o->final, old) != 0) {
            as_error_set(err, AS_ERR_RUNTIME, o->final, 0, NULL,
                         "cannot move the earlier output aside: %s", strerror(errno));
            free(old);
            as_outdir_abort(o);
            return AS_ERR_RUNTIME;
        }
    }
    if (rename(o->tmp, o->final) != 0) {
        int e = errno;
        if (old) {
            (void)rename(old, o->final); /* put the earlier output back */
            free(old);
        }
        as_error_set(err, AS_ERR_RUNTIME, o->final, 0, NULL, "cannot move the output in place: %s",
                     strerror(e));
        as_outdir_abort(o);
        return AS_ERR_RUNTIME;
    }
    if (old) {
        (void)as_remove_tree(old);
        free(old);
    }
    outdir_free(o);
    return AS_OK;
}
