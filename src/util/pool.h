/*
 * pool.h — a fixed pool of worker threads for independent tasks (loading
 * container records, hashing files), so that a command uses every core.
 *
 * Contract: de_pool_run(n, fn, arg) calls fn(arg, i) once for each i in
 * [0, n), on at most de_pool_workers() threads (the calling one among
 * them), and returns when all are done. Tasks must not share mutable
 * state; results go to per-index slots, so the caller keeps its order.
 * Warnings and notes a task gives (util/diag.h) are held per task and
 * given, in index order, by the calling thread once all tasks are done:
 * stderr reads as if the tasks had run one after another.
 *
 * Workers: the online CPUs (at most DE_POOL_MAX), or DE_WORKERS from the
 * environment (1: everything on the calling thread; `make bench` compares).
 */
#ifndef DE_POOL_H
#define DE_POOL_H

#include <stddef.h>

#include "diag.h"

#define DE_POOL_MAX 64

size_t de_pool_workers(void);
void de_pool_run(size_t n, void (*fn)(void *arg, size_t i), void *arg);
/* The same, each task's warnings and notes left in held[i] (n of them) for
 * the caller to give (de_diag_capture_replay) or drop. */
void de_pool_run_held(size_t n, void (*fn)(void *arg, size_t i), void *arg,
                      de_diag_capture *held);

#endif
