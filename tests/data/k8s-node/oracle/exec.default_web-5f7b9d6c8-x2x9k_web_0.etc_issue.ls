ls: /etc/issue: No such file or directory
