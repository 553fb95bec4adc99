-rwxr-xr-x 0 0 0 2026-12-01T15:25:33.936279895Z /.dockerenv
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
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.944279894Z /dev
-rwxr-xr-x 0 0 0 2026-12-01T15:25:33.944279894Z /dev/console
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.932279895Z /dev/pts
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.932279895Z /dev/shm
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.948030895Z /etc
-rw-r--r-- 0 0 20 2023-11-14T22:13:20.000000000Z /etc/group
-rwxr-xr-x 0 0 0 2026-12-01T15:25:33.942053974Z /etc/hostname
-rwxr-xr-x 0 0 0 2026-12-01T15:25:33.940558732Z /etc/hosts
-rw-r--r-- 0 0 18 2023-11-14T22:13:20.000000000Z /etc/issue
-rw-r--r-- 0 0 11 2023-11-14T22:13:20.000000000Z /etc/motd
lrwxrwxrwx 0 0 12 2026-12-01T15:25:33.948030895Z /etc/mtab -> /proc/mounts
-rw-r--r-- 0 0 63 2023-11-14T22:13:20.000000000Z /etc/passwd
-rwxr-xr-x 0 0 0 2026-12-01T15:25:33.938937373Z /etc/resolv.conf
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /opt
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /opt/app
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /opt/app/conf
-rw-r--r-- 0 0 10 2023-11-14T22:13:20.000000000Z /opt/app/conf/app.conf
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /opt/app/old
-rw-r--r-- 0 0 4 2023-11-14T22:13:20.000000000Z /opt/app/old/new.txt
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.932279895Z /proc
drwx------ 0 0 4096 2023-11-14T22:13:20.000000000Z /root
drwxr-xr-x 0 0 4096 2026-12-01T15:25:34.086717019Z /run
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /srv
drwxr-xr-x 0 0 4096 2026-12-01T15:25:34.117304766Z /srv/www
-rw-r--r-- 0 0 7 2026-12-01T15:25:34.117304766Z /srv/www/status.txt
drwxr-xr-x 0 0 4096 2026-12-01T15:25:33.932279895Z /sys
drwxrwxrwt 0 0 4096 2026-12-01T15:25:34.112279887Z /tmp
-rwxr-xr-x 0 0 9 2026-12-01T15:25:34.112279887Z /tmp/dropped.sh
