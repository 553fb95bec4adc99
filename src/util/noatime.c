/*
 * noatime.c — every file de opens read-only is opened O_NOATIME where the
 * kernel allows it (the file's owner, or CAP_FOWNER), including by the
 * image libraries, which open the evidence themselves.
 *
 * Why here: libtsk (E01, VMDK, VHD, VHDX through libewf, libvmdk, libvhdi)
 * and libqcow open the image files by name with open(2) and O_RDONLY alone:
 * each read then moves the image file's atime (under relatime, the first
 * read of a day), a timestamp of the evidence. de's own readers open with
 * O_NOATIME (evfs, bsrc); these libraries take no descriptor we could give
 * them. So the executable defines open() and openat() (exported to the
 * libraries loaded with dlopen: the executable is first in their symbol
 * look-up), adds O_NOATIME to a read-only open, and retries without it when
 * the kernel refuses it (EPERM: not the owner), as evfs does. Any other
 * open (writing the analyst's output) is passed on unchanged.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "noatime.h"

static int open_noatime(int dirfd, const char *path, int flags, mode_t mode)
{
	if ((flags & O_ACCMODE) == O_RDONLY && !(flags & (O_PATH | O_CREAT | O_NOATIME))) {
		long fd = syscall(SYS_openat, dirfd, path, flags | O_NOATIME, mode);
		if (fd >= 0 || errno != EPERM)
			return (int)fd;
	}
	return (int)syscall(SYS_openat, dirfd, path, flags, mode);
}

static mode_t mode_arg(int flags, va_list ap)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = mode_arg(flags, ap);
	va_end(ap);
	return open_noatime(AT_FDCWD, path, flags, mode);
}

int openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	va_start(ap, flags);
	mode_t mode = mode_arg(flags, ap);
	va_end(ap);
	return open_noatime(dirfd, path, flags, mode);
}

/* The large-file names: the same calls on a 64-bit off_t ABI. */
int open64(const char *path, int flags, ...) __attribute__((alias("open")));
int openat64(int dirfd, const char *path, int flags, ...) __attribute__((alias("openat")));

void de_noatime_link(void)
{
}
