/*
 * diff_rules.h — what each engine's own `diff` prints for a container,
 * judged entry by entry from de's record of the container's writable layer
 * (union/union.h, un_diff_walk), in the record's order (path order, a
 * directory before its content).
 *
 * Rules (each mirrors the engine function named in diff_rules.c):
 *   docker-views  `docker diff` (moby ChangesDirs, the "naive" diff every
 *                 Docker driver but aufs uses for Changes): the container's
 *                 view against its parent's (-init layer and image), entry by
 *                 entry; also what de applies to containerd's containers,
 *                 which have no diff of their own;
 *   docker-aufs   `docker diff` on aufs (moby archive.Changes): a walk of the
 *                 container's branch;
 *   podman        `podman diff` on overlay (containers/storage OverlayChanges,
 *                 then libpod's GetDiff, which leaves its own paths out);
 *   podman-views  `podman diff` where containers/storage uses its naive diff
 *                 (fuse-overlayfs, no native overlay diff, vfs).
 * A verdict says the line the engine prints for the entry itself, whether it
 * is a directory the engine prints only when it prints something below it
 * (pending), and how many of the pending directories above a printed line
 * brings out. Contract: no output, no memory beyond the call.
 */
#ifndef DE_DIFF_RULES_H
#define DE_DIFF_RULES_H

#include <stdbool.h>

#include "builtin.h"

typedef enum diff_rule {
	DIFF_DOCKER_VIEWS,
	DIFF_DOCKER_AUFS,
	DIFF_PODMAN,
	DIFF_PODMAN_VIEWS,
} diff_rule;

typedef struct diff_engine {
	diff_rule rule;
	const char *name;      /* "docker-views", … */
	const char *command;   /* the engine command it mirrors, NULL for containerd */
	char *basis;           /* why this rule for this container (owned) */
	un_fs *fs;
	size_t nlower;         /* layers below the container's */
	strvec mount_points;   /* a pod's: its spec's mount destinations, which runc made */
} diff_engine;

/* The rule of the engine that made the container of t. */
void diff_engine_for(diff_engine *eng, const de_target *t);
void diff_engine_free(diff_engine *eng);
/* un_diff_walk flags the rule needs. */
unsigned diff_engine_walk_flags(const diff_engine *eng);

typedef struct diff_verdict {
	char kind;       /* the engine's line for this entry: 'A', 'C', 'D'; 0 none */
	char *path;      /* the path it prints when not the entry's own (owned), or NULL */
	bool pending;    /* a directory printed (C) only when a line below it brings it out */
	int flush;       /* pending directories above that this line brings out: 0, 1 (the
	                  * parent only), -1 (all) */
} diff_verdict;

void diff_judge(const diff_engine *eng, const un_diff_ent *ent, diff_verdict *v);
/* A path the engine leaves out of its diff as its own (libpod's GetDiff), or
 * made as a mount point by runc (a pod's container of containerd). */
bool diff_engine_file(const diff_engine *eng, const char *path);

#endif
