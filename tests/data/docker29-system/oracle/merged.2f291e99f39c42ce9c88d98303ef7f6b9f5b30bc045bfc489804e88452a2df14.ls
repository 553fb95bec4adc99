-rwxr-xr-x 0 0 0 2026-12-01T15:25:33.500279915Z /.dockerenv
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /bin
-rwxr-xr-x 0 0 1982256 2023-11-14T22:13:20.000000000Z /bin/busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/cat -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/chmod -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/echo -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/head -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/ln -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/ls -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/mkdir -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/mv -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/rm -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/seq -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/sh -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/sleep -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/touch -> busybox
lrwxrwxrwx 0 0 7 2023-11-14T22:13:20.000000000Z /bin/tr -> busybox
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.520279914Z /dev
-rwxr-xr-x 0 0 0 2026-12-01T15:25:33.520279914Z /dev/console
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.488279916Z /dev/pts
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.492279916Z /dev/shm
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.856279899Z /etc
-rw-r--r-- 0 0 20 2023-11-14T22:13:20.000000000Z /etc/group
-rwxr-xr-x 0 0 0 2026-12-01T15:25:33.512900908Z /etc/hostname
-rwxr-xr-x 0 0 0 2026-12-01T15:25:33.508279915Z /etc/hosts
-rw-r--r-- 0 0 19 2026-12-01T15:25:33.856279899Z /etc/motd
lrwxrwxrwx 0 0 12 2026-12-01T15:25:33.528279914Z /etc/mtab -> /proc/mounts
-rw-r--r-- 0 0 63 2023-11-14T22:13:20.000000000Z /etc/passwd
-rwxr-xr-x 0 0 0 2026-12-01T15:25:33.502698984Z /etc/resolv.conf
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /opt
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.864279898Z /opt/app
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.864279898Z /opt/app/conf
-rw-r--r-- 0 0 3 2026-12-01T15:25:33.864279898Z /opt/app/conf/app.conf
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /opt/app/old
-rw-r--r-- 0 0 4 2023-11-14T22:13:20.000000000Z /opt/app/old/new.txt
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.492279916Z /proc
drwx------ 0 0 4096 2026-12-01T15:25:33.864279898Z /root
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.864279898Z /root/out
-rw-r--r-- 0 0 7 2026-12-01T15:25:33.864279898Z /root/out/result.txt
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.823427362Z /run
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /srv
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /srv/www
-rw-r--r-- 0 0 15 2023-11-14T22:13:20.000000000Z /srv/www/index.html
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.492279916Z /sys
drwxrwxrwt 0 0 4096 2023-11-14T22:13:20.000000000Z /tmp
