/*
 * noatime.h — read-only opens with O_NOATIME for the whole process (see
 * noatime.c): the image libraries open the evidence files themselves.
 * main() calls de_noatime_link() so that the linker keeps the definitions.
 */
#ifndef DE_NOATIME_H
#define DE_NOATIME_H

void de_noatime_link(void);

#endif
