-rwxr-xr-x 0 0 0 2026-11-29T02:49:31.241369199Z /.dockerenv
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
drwxr-xr-x 0 0 4096 2026-11-29T02:49:31.269369198Z /dev
-rwxr-xr-x 0 0 0 2026-11-29T02:49:31.269369198Z /dev/console
drwxr-xr-x 0 0 4096 2026-11-29T02:49:31.237369199Z /dev/pts
drwxr-xr-x 0 0 4096 2026-11-29T02:49:31.237369199Z /dev/shm
drwxr-xr-x 0 0 4096 2026-11-29T02:49:31.453524797Z /etc
-rw-r--r-- 0 0 20 2023-11-14T22:13:20.000000000Z /etc/group
-rwxr-xr-x 0 0 0 2026-11-29T02:49:31.261369198Z /etc/hostname
-rwxr-xr-x 0 0 0 2026-11-29T02:49:31.254455704Z /etc/hosts
-rw-r--r-- 0 0 19 2026-11-29T02:49:31.453524797Z /etc/motd
lrwxrwxrwx 0 0 12 2026-11-29T02:49:31.277369198Z /etc/mtab -> /proc/mounts
-rw-r--r-- 0 0 63 2023-11-14T22:13:20.000000000Z /etc/passwd
-rwxr-xr-x 0 0 0 2026-11-29T02:49:31.249369199Z /etc/resolv.conf
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /opt
drwxr-xr-x 0 0 4096 2026-11-29T02:49:31.458677405Z /opt/app
drwxr-xr-x 0 0 4096 2026-11-29T02:49:31.458677405Z /opt/app/conf
-rw-r--r-- 0 0 3 2026-11-29T02:49:31.458677405Z /opt/app/conf/app.conf
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /opt/app/old
-rw-r--r-- 0 0 4 2023-11-14T22:13:20.000000000Z /opt/app/old/new.txt
drwxr-xr-x 0 0 4096 2026-11-29T02:49:31.237369199Z /proc
drwx------ 0 0 4096 2026-11-29T02:49:31.461369193Z /root
drwxr-xr-x 0 0 4096 2026-11-29T02:49:31.461369193Z /root/out
-rw-r--r-- 0 0 7 2026-11-29T02:49:31.461369193Z /root/out/result.txt
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /srv
drwxr-xr-x 0 0 4096 2023-11-14T22:13:20.000000000Z /srv/www
-rw-r--r-- 0 0 15 2023-11-14T22:13:20.000000000Z /srv/www/index.html
drwxr-xr-x 0 0 4096 2026-11-29T02:49:31.237369199Z /sys
drwxrwxrwt 0 0 4096 2023-11-14T22:13:20.000000000Z /tmp
