/*
 * pool.c — see pool.h. Tasks are handed out by an atomic counter (no queue
 * to lock); each task's warnings are captured in its own list (diag.h's
 * capture) and replayed in order at the end.
 */
#include "pool.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#include "diag.h"
#include "strvec.h"

size_t de_pool_workers(void)
{
	const char *env = getenv("DE_WORKERS");
	long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);
	if (n < 1)
		n = 1;
	return n > DE_POOL_MAX ? DE_POOL_MAX : (size_t)n;
}

typedef struct pool {
	size_t n;
	void (*fn)(void *, size_t);
	void *arg;
	atomic_size_t next;
	de_diag_capture *held;   /* one per task */
} pool;

static void *worker(void *p)
{
	pool *pl = p;
	for (;;) {
		size_t i = atomic_fetch_add(&pl->next, 1);
		if (i >= pl->n)
			return NULL;
		de_diag_capture_start(&pl->held[i]);
		pl->fn(pl->arg, i);
		de_diag_capture_stop();
	}
}

void de_pool_run_held(size_t n, void (*fn)(void *arg, size_t i), void *arg,
                      de_diag_capture *held)
{
	size_t nw = de_pool_workers();
	if (nw > n)
		nw = n;
	pool pl = {.n = n, .fn = fn, .arg = arg, .held = held};
	atomic_init(&pl.next, 0);
	pthread_t th[DE_POOL_MAX];
	size_t started = 0;
	for (size_t t = 1; t < nw; t++)
		if (pthread_create(&th[started], NULL, worker, &pl) == 0)
			started++;
	worker(&pl);   /* the calling thread works too (and alone if none started) */
	for (size_t t = 0; t < started; t++)
		pthread_join(th[t], NULL);
}

void de_pool_run(size_t n, void (*fn)(void *arg, size_t i), void *arg)
{
	if (de_pool_workers() <= 1 || n <= 1) {
		for (size_t i = 0; i < n; i++)   /* in order: nothing to hold */
			fn(arg, i);
		return;
	}
	de_diag_capture *held = xcalloc(n, sizeof *held);
	de_pool_run_held(n, fn, arg, held);
	for (size_t i = 0; i < n; i++)
		de_diag_capture_replay(&held[i]);
	free(held);
}
