/*
 * winpath.h — Windows paths that Docker on Windows writes in its files
 * (LogPath "C:\ProgramData\docker\containers\<id>\<id>-json.log", bind
 * sources "C:\data", layerchain.json entries), placed on the analyst's
 * copy of the evidence.
 *
 * A path is placed only when it is plainly on a drive ("C:\…", "C:/…",
 * "\\?\C:\…") and has no "." or ".." component: under the data root when
 * it is below the Windows data root written in the evidence (matched
 * without regard to ASCII case, as NTFS does), else under the host root
 * when it is on drive C: and the host root is known. Anything else (another
 * drive, a UNC share, a hostile "..") is left as written, never guessed.
 */
#ifndef DE_WINPATH_H
#define DE_WINPATH_H

#include <stdbool.h>

/* "X:\…", "X:/…" or "\\?\X:\…". */
bool de_win_is_path(const char *p);
/* The Windows data root: log_path without "\containers\<id>\<id>-json.log"
 * (any case), else the default "C:\ProgramData\docker". */
char *de_win_data_root(const char *log_path, const char *id);
/* p placed (see above), or NULL when it cannot be. */
char *de_win_place(const char *p, const char *win_root, const char *data_root,
                   const char *host_root);
/* The last component of a Windows path ("…\windowsfilter\<id>" → "<id>"). */
const char *de_win_basename(const char *p);

#endif
