/* Output folders (include/asylsim/output.h): everything is written into DIR.tmp-<pid>/, each file
 * flushed to disk as it is closed, and the folder is moved onto DIR only when all of it has been
 * written. An earlier asylsim output in DIR (it has a manifest.txt) is swapped out in one atomic
 * step (renameat2 RENAME_EXCHANGE on Linux; elsewhere, or on file systems without it, moved
 * aside first and put back if the second rename fails) and removed once the new folder is in
 * place. Any failure removes the temporary folder: DIR is either the complete new output or
 * what it was before.
 *
 * Files are written through 64 KiB stdio buffers over our own write (fopencookie on glibc), which
 * first polls the caller's stop request (as_outdir_set_stop): a signal stops even a long write
 * within one buffer. Each file is fsync'ed as it is closed, so a full disk that shows only then is
 * still reported, and the folder itself before the rename.
 *
 * Errors name the user's path (DIR or DIR/FILE), never the temporary one. A path through a file,
 * ".", ".." or "/" is a usage error (exit 2), found before anything runs; a folder that cannot be
 * created (permissions, read-only file system) or a failed write (full disk) is a run-time
 * failure (exit 1).
 *
 * Test hook: when the environment variable ASYLSIM_TEST_DEV_FULL names an output file (e.g.
 * "indicators.csv"), that file's stream is opened on /dev/full, whose every write fails with
 * ENOSPC, so tests/e2e/output_safety.sh provokes a real "disk full" on any machine without
 * mounting anything. It is read here only, and changes nothing else. */
#define _GNU_SOURCE /* renameat2 and RENAME_EXCHANGE (glibc 2.28, Linux 3.15) */
#include "asylsim/output.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct as_outdir {
    char *final;                   /* DIR */
    char *tmp;                     /* DIR.tmp-<pid> */
    int (*should_stop)(void *ctx); /* polled at every buffer flush; NULL = never */
    void *stop_ctx;
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

static void outdir_free(as_outdir *o)
{
    free(o->final);
    free(o->tmp);
    free(o);
}

static as_status nomem(as_error *err)
{
    return as_error_set(err, AS_ERR_NOMEM, NULL, 0, NULL, "out of memory");
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

/* The folder that holds `path` ("." for a bare name, "/" for a name in the root). New string. */
static char *parent_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        return strdup(".");
    }
    size_t len = slash == path ? 1 : (size_t)(slash - path);
    char *p = malloc(len + 1);
    if (p) {
        memcpy(p, path, len);
        p[len] = '\0';
    }
    return p;
}

/* Checks the folders on the way to `final` before anything runs: a component that exists and is
 * not a folder is a usage error naming it. Components that do not exist yet are created later. */
static as_status check_parents(const char *final, as_error *err)
{
    char *p = strdup(final);
    if (!p) {
        return nomem(err);
    }
    as_status st = AS_OK;
    for (char *s = p + 1; *s && st == AS_OK; s++) {
        if (*s != '/') {
            continue;
        }
        *s = '\0';
        struct stat sb;
        if (stat(p, &sb) == 0 && !S_ISDIR(sb.st_mode)) {
            st = as_error_set(err, AS_ERR_INPUT, final, 0, NULL,
                              "cannot create the output folder: %s is a file, not a folder", p);
        }
        *s = '/';
    }
    free(p);
    return st;
}

/* mkdir -p of the parent folders of `path` (not `path` itself). On failure *failed is the folder
 * that could not be created (new string) and errno says why. */
static int make_parents(const char *path, char **failed)
{
    *failed = NULL;
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
            int e = errno;
            *failed = p;
            errno = e;
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

/* Checks an existing `final`: a folder that is empty, holds an earlier asylsim output, or may be
 * replaced because of --force. */
static as_status check_existing(const char *final, int force, as_error *err)
{
    struct stat st;
    if (stat(final, &st) != 0) {
        return AS_OK;
    }
    if (!S_ISDIR(st.st_mode)) {
        return as_error_set(err, AS_ERR_INPUT, final, 0, NULL,
                            "output path exists and is not a folder");
    }
    size_t mlen = strlen(final) + 16;
    char *manifest = malloc(mlen);
    if (!manifest) {
        return nomem(err);
    }
    snprintf(manifest, mlen, "%s/manifest.txt", final);
    int has_manifest = access(manifest, F_OK) == 0;
    free(manifest);
    int empty = is_empty_dir(final);
    if (empty < 0) {
        return as_error_set(err, AS_ERR_INPUT, final, 0, NULL, "cannot read output folder: %s",
                            strerror(errno));
    }
    if (!empty && !has_manifest && !force) {
        return as_error_set(
                err, AS_ERR_INPUT, final, 0, NULL,
                "output folder is not empty and holds no asylsim output (no manifest.txt); "
                "choose another --out or add --force to replace it");
    }
    return AS_OK;
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
        return nomem(err);
    }
    memcpy(final, dir, len);
    final[len] = '\0';

    /* ".", ".." and "/" cannot be renamed: refuse them now rather than after the run. */
    const char *last = strrchr(final, '/');
    last = last ? last + 1 : final;
    as_status st = AS_OK;
    if (strcmp(last, ".") == 0 || strcmp(last, "..") == 0 || strcmp(final, "/") == 0) {
        st = as_error_set(err, AS_ERR_INPUT, final, 0, NULL,
                          "cannot be the output folder (asylsim replaces its output folder as a "
                          "whole); name a folder, e.g. --out results/run1");
    }
    if (st == AS_OK) {
        st = check_parents(final, err);
    }
    if (st == AS_OK) {
        st = check_existing(final, force, err);
    }
    if (st != AS_OK) {
        free(final);
        return st;
    }

    char *tmp = dup_printf2(final, ".tmp-", (long)getpid());
    as_outdir *o = malloc(sizeof *o);
    if (!tmp || !o) {
        free(tmp);
        free(o);
        free(final);
        return nomem(err);
    }
    o->final = final;
    o->tmp = tmp;
    o->should_stop = NULL;
    o->stop_ctx = NULL;
    (void)as_remove_tree(tmp); /* a leftover of an earlier process with the same pid */
    char *failed = NULL;
    if (make_parents(tmp, &failed) != 0) {
        int e = errno;
        if (failed) {
            as_error_set(err, AS_ERR_RUNTIME, final, 0, NULL, "cannot create folder %s: %s", failed,
                         strerror(e));
        } else {
            nomem(err);
        }
        free(failed);
        outdir_free(o);
        return err->code;
    }
    if (mkdir(tmp, 0777) != 0) {
        int e = errno;
        char *parent = parent_of(final);
        as_error_set(err, AS_ERR_RUNTIME, final, 0, NULL,
                     "cannot create the output folder in %s: %s", parent ? parent : ".",
                     strerror(e));
        free(parent);
        outdir_free(o);
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

void as_outdir_set_stop(as_outdir *o, int (*should_stop)(void *ctx), void *ctx)
{
    o->should_stop = should_stop;
    o->stop_ctx = ctx;
}

/* fsync errors that mean "not supported here", not "your data is lost". */
static int sync_unsupported(int e)
{
    return e == EINVAL || e == EROFS || e == ENOTSUP || e == EBADF;
}

#ifdef __GLIBC__
/* Writes all of buf to fd; 0, or -1 with errno set. */
static int write_all(int fd, const char *buf, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, buf, n);
        if (w < 0 && errno == EINTR) {
            continue; /* a signal arrived; the stop poll decides at the next flush */
        }
        if (w <= 0) {
            if (w == 0) {
                errno = EIO;
            }
            return -1;
        }
        buf += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Flushes fd's data to disk and closes it; 0, or -1 with errno of the first failure. A full
 * disk may show only here (delayed allocation, network file systems). */
static int sync_close(int fd)
{
    int e = 0;
    if (fsync(fd) != 0 && !sync_unsupported(errno)) {
        e = errno;
    }
    if (close(fd) != 0 && !e && errno != EINTR) {
        e = errno;
    }
    errno = e;
    return e ? -1 : 0;
}

/* An output stream: stdio buffering over our own write, which first asks whether to stop, so a
 * signal stops even a long write (a large replications.csv) at the next buffer flush. */
typedef struct out_stream {
    int fd;
    const as_outdir *o;
} out_stream;

static ssize_t stream_write(void *cookie, const char *buf, size_t n)
{
    out_stream *c = cookie;
    if (c->o->should_stop && c->o->should_stop(c->o->stop_ctx)) {
        errno = EINTR;
        return 0; /* stdio marks the stream as failed */
    }
    return write_all(c->fd, buf, n) == 0 ? (ssize_t)n : 0;
}

static int stream_close(void *cookie)
{
    out_stream *c = cookie;
    int rc = sync_close(c->fd);
    int e = errno;
    free(c);
    errno = e;
    return rc;
}

static FILE *open_stream(const as_outdir *o, int fd)
{
    out_stream *c = malloc(sizeof *c);
    if (!c) {
        errno = ENOMEM;
        return NULL;
    }
    c->fd = fd;
    c->o = o;
    cookie_io_functions_t io = {
            .read = NULL, .write = stream_write, .seek = NULL, .close = stream_close};
    FILE *f = fopencookie(c, "w", io);
    if (!f) {
        free(c);
        return NULL;
    }
    /* Fewer, larger writes; also the granularity of the stop poll. */
    (void)setvbuf(f, NULL, _IOFBF, (size_t)1 << 16);
    return f;
}
#else
/* Elsewhere: a plain stream (no stop poll inside a file), synced in as_outdir_fclose. */
static FILE *open_stream(const as_outdir *o, int fd)
{
    (void)o;
    return fdopen(fd, "w");
}
#endif

FILE *as_outdir_fopen(const as_outdir *o, const char *name, as_error *err)
{
    size_t len = strlen(o->tmp) + strlen(name) + 2;
    char *path = malloc(len);
    if (!path) {
        nomem(err);
        return NULL;
    }
    snprintf(path, len, "%s/%s", o->tmp, name);
    /* The test hook of the file comment: this file's writes hit /dev/full. */
    const char *full = getenv("ASYLSIM_TEST_DEV_FULL");
    int to_dev_full = full && strcmp(full, name) == 0;
    /* O_EXCL: the folder is new and ours; never follow something planted in it. */
    int fd = to_dev_full ? open("/dev/full", O_WRONLY | O_CLOEXEC)
                         : open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    FILE *f = NULL;
    if (fd >= 0) {
        f = open_stream(o, fd);
        if (!f) {
            int e = errno;
            close(fd);
            errno = e;
        }
    }
    if (!f) {
        int e = errno;
        char shown[1024];
        snprintf(shown, sizeof shown, "%s/%s", o->final, name);
        if (e == ENOMEM) {
            nomem(err);
        } else {
            as_error_set(err, AS_ERR_RUNTIME, shown, 0, NULL, "cannot write: %s; no output written",
                         strerror(e));
        }
    }
    free(path);
    return f;
}

as_status as_outdir_fclose(const as_outdir *o, const char *name, FILE *f, as_error *err)
{
    /* A full disk shows at the last buffered write, at the flush to disk or at close: check all
     * three, so a truncated file is never reported as written. */
    int e = 0;
    errno = 0;
    if (fflush(f) != 0 || ferror(f)) {
        e = errno;
        if (!e) {
            /* An earlier write failed and its errno is gone: one more byte says why (the file is
             * discarded anyway). */
            clearerr(f);
            e = fputc('\n', f) == EOF || fflush(f) != 0 ? errno : 0;
            e = e ? e : EIO;
        }
    }
#ifndef __GLIBC__
    if (!e && fsync(fileno(f)) != 0 && !sync_unsupported(errno)) {
        e = errno;
    }
#endif
    errno = 0;
    if (fclose(f) != 0 && !e) {
        e = errno ? errno : EIO;
    }
    if (o->should_stop && o->should_stop(o->stop_ctx) && (!e || e == EINTR)) {
        return as_error_set(err, AS_ERR_INTERRUPTED, NULL, 0, NULL, "interrupted");
    }
    if (e) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", o->final, name);
        return as_error_set(err, AS_ERR_RUNTIME, path, 0, NULL,
                            "write failed: %s; no output written", strerror(e));
    }
    return AS_OK;
}

void as_outdir_abort(as_outdir *o)
{
    if (!o) {
        return;
    }
    (void)as_remove_tree(o->tmp);
    outdir_free(o);
}

/* Flushes folder `path` itself to disk (its entries), so a rename survives a crash. */
static int sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY);
    if (fd < 0) {
        return -1;
    }
    int rc = fsync(fd) == 0 || sync_unsupported(errno) ? 0 : -1;
    close(fd);
    return rc;
}

/* Replaces existing folder final by tmp in two renames: final aside to .old-<pid>, tmp in, the
 * old one removed; on failure the old one is put back. */
static as_status replace_in_two_steps(as_outdir *o, as_error *err)
{
    char *old = dup_printf2(o->final, ".old-", (long)getpid());
    if (!old) {
        return nomem(err);
    }
    (void)as_remove_tree(old);
    if (rename(o->final, old) != 0) {
        as_error_set(err, AS_ERR_RUNTIME, o->final, 0, NULL,
                     "cannot move the earlier output aside: %s; no output written",
                     strerror(errno));
        free(old);
        return AS_ERR_RUNTIME;
    }
    if (rename(o->tmp, o->final) != 0) {
        int e = errno;
        (void)rename(old, o->final); /* put the earlier output back */
        free(old);
        return as_error_set(err, AS_ERR_RUNTIME, o->final, 0, NULL,
                            "cannot move the output in place: %s; no output written", strerror(e));
    }
    (void)as_remove_tree(old);
    free(old);
    return AS_OK;
}

as_status as_outdir_commit(as_outdir *o, as_error *err)
{
    /* Every file was synced as it was closed; now the folder's own entries. */
    if (sync_dir(o->tmp) != 0) {
        as_error_set(err, AS_ERR_RUNTIME, o->final, 0, NULL, "write failed: %s; no output written",
                     strerror(errno));
        as_outdir_abort(o);
        return AS_ERR_RUNTIME;
    }
    as_status st = AS_OK;
    struct stat sb;
    if (lstat(o->final, &sb) == 0) {
        int swapped = 0;
#if defined(__linux__) && defined(RENAME_EXCHANGE)
        /* One atomic step: DIR is the old output or the new one at every instant. */
        if (renameat2(AT_FDCWD, o->tmp, AT_FDCWD, o->final, RENAME_EXCHANGE) == 0) {
            swapped = 1;
            (void)as_remove_tree(o->tmp); /* now the earlier output */
        } else if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) {
            st = as_error_set(err, AS_ERR_RUNTIME, o->final, 0, NULL,
                              "cannot move the output in place: %s; no output written",
                              strerror(errno));
        }
#endif
        if (!swapped && st == AS_OK) {
            st = replace_in_two_steps(o, err);
        }
    } else if (rename(o->tmp, o->final) != 0) {
        st = as_error_set(err, AS_ERR_RUNTIME, o->final, 0, NULL,
                          "cannot move the output in place: %s; no output written",
                          strerror(errno));
    }
    if (st != AS_OK) {
        as_outdir_abort(o);
        return st;
    }
    char *parent = parent_of(o->final);
    if (parent) {
        (void)sync_dir(parent); /* the output is in place; durability of the rename is a bonus */
        free(parent);
    }
    outdir_free(o);
    return AS_OK;
}
