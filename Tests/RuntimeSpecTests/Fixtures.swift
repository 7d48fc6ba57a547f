/// Inline config.json documents for the tests, written for them.
enum Fixtures {
    /// A configuration that sets every member the model knows, plus members it does not.
    static let full = #"""
    {
        "ociVersion": "1.1.0",
        "process": {
            "terminal": true,
            "consoleSize": {"height": 25, "width": 80},
            "user": {"uid": 1000, "gid": 1000, "umask": 18, "additionalGids": [5, 6], "username": "app"},
            "args": ["/bin/sh", "-c", "echo \"hi\" \u00e9\ud83d\ude00"],
            "commandLine": "sh",
            "env": ["PATH=/usr/bin:/bin", "TERM=xterm"],
            "cwd": "/work",
            "capabilities": {
                "bounding": ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_BPF"],
                "effective": ["CAP_KILL"],
                "inheritable": [],
                "permitted": ["CAP_KILL", "CAP_PERFMON"],
                "ambient": ["CAP_CHECKPOINT_RESTORE"]
            },
            "rlimits": [
                {"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 512},
                {"type": "RLIMIT_CORE", "hard": 18446744073709551615, "soft": 18446744073709551615}
            ],
            "noNewPrivileges": true,
            "apparmorProfile": "acme_secure_profile",
            "oomScoreAdj": -500,
            "selinuxLabel": "system_u:system_r:svirt_lxc_net_t:s0:c124,c675",
            "ioPriority": {"class": "IOPRIO_CLASS_BE", "priority": 4},
            "scheduler": {"policy": "SCHED_DEADLINE", "nice": 5, "priority": 0,
                          "flags": ["SCHED_FLAG_RESET_ON_FORK"], "runtime": 10000000, "deadline": 20000000, "period": 30000000},
            "execCPUAffinity": {"initial": "0-1", "final": "2,3"},
            "futureProcessField": {"anything": [1, 2, 3]}
        },
        "root": {"path": "rootfs", "readonly": true},
        "hostname": "box",
        "domainname": "example.org",
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/data", "type": "bind", "source": "/srv/data", "options": ["rbind", "ro"],
             "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
             "gidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}]}
        ],
        "hooks": {
            "prestart": [{"path": "/usr/bin/fix-mounts", "args": ["fix-mounts", "arg1"], "env": ["KEY=value"]}],
            "createRuntime": [{"path": "/usr/bin/netns-setup", "timeout": 5}],
            "createContainer": [{"path": "/usr/bin/cc"}],
            "startContainer": [{"path": "/usr/bin/refresh-ldcache"}],
            "poststart": [{"path": "/usr/bin/notify-start", "timeout": 5}],
            "poststop": [{"path": "/usr/sbin/cleanup.sh", "args": ["cleanup.sh", "-f"]}]
        },
        "annotations": {"com.example.key1": "value1", "com.example.key2": "value2"},
        "linux": {
            "uidMappings": [{"containerID": 0, "hostID": 1000, "size": 32000}],
            "gidMappings": [{"containerID": 0, "hostID": 1000, "size": 32000}],
            "timeOffsets": {"monotonic": {"secs": -86400, "nanosecs": 500}, "boottime": {"secs": 3600}},
            "sysctl": {"net.ipv4.ip_forward": "1", "kernel.shmmax": "4096", "fs.mqueue.msg_max": "100"},
            "resources": {
                "devices": [
                    {"allow": false, "access": "rwm"},
                    {"allow": true, "type": "c", "major": 10, "minor": 229, "access": "rw"}
                ],
                "memory": {"limit": -1, "reservation": 268435456, "swap": 9223372036854775807, "kernel": -1,
                           "kernelTCP": 0, "swappiness": 60, "disableOOMKiller": true, "useHierarchy": true,
                           "checkBeforeUpdate": true},
                "cpu": {"shares": 1024, "quota": -1, "burst": 1000, "period": 18446744073709551615,
                        "realtimeRuntime": 950000, "realtimePeriod": 1000000, "cpus": "0-3,7", "mems": "0", "idle": 1},
                "pids": {"limit": 32771},
                "blockIO": {
                    "weight": 500, "leafWeight": 300,
                    "weightDevice": [{"major": 8, "minor": 0, "weight": 600, "leafWeight": 300}],
                    "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 104857600}],
                    "throttleWriteBpsDevice": [{"major": 8, "minor": 16, "rate": 18446744073709551615}],
                    "throttleReadIOPSDevice": [{"major": 8, "minor": 0, "rate": 300}],
                    "throttleWriteIOPSDevice": [{"major": 8, "minor": 0, "rate": 200}]
                },
                "hugepageLimits": [{"pageSize": "2MB", "limit": 209715200}, {"pageSize": "1GB", "limit": 0}],
                "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 500}]},
                "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
                "unified": {"memory.high": "1073741824", "io.weight": "default 100"}
            },
            "cgroupsPath": "/myRuntime/myContainer",
            "namespaces": [
                {"type": "pid"}, {"type": "network", "path": "/var/run/netns/neta"}, {"type": "mount"},
                {"type": "ipc"}, {"type": "uts"}, {"type": "user"}, {"type": "cgroup"}, {"type": "time"}
            ],
            "devices": [
                {"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229, "fileMode": 438, "uid": 0, "gid": 0},
                {"path": "/dev/sda", "type": "b", "major": 8, "minor": 0}
            ],
            "netDevices": {"eth1": {"name": "ctr1"}},
            "seccomp": {
                "defaultAction": "SCMP_ACT_ERRNO",
                "defaultErrnoRet": 1,
                "architectures": ["SCMP_ARCH_X86_64", "SCMP_ARCH_AARCH64"],
                "flags": ["SECCOMP_FILTER_FLAG_LOG"],
                "listenerPath": "/run/seccomp-agent.socket",
                "listenerMetadata": "metadata",
                "syscalls": [
                    {"names": ["getcwd", "chmod"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
                    {"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                     "args": [{"index": 0, "value": 4294967295, "op": "SCMP_CMP_EQ"},
                              {"index": 1, "value": 18446744073709551615, "valueTwo": 8, "op": "SCMP_CMP_MASKED_EQ"}]},
                    {"names": ["mkdir"], "action": "SCMP_ACT_NOTIFY"}
                ]
            },
            "rootfsPropagation": "slave",
            "maskedPaths": ["/proc/kcore"],
            "readonlyPaths": ["/proc/sys"],
            "mountLabel": "system_u:object_r:svirt_sandbox_file_t:s0:c715,c811",
            "intelRdt": {"closID": "guaranteed_group", "l3CacheSchema": "L3:0=7f0;1=1f", "memBwSchema": "MB:0=20;1=70"},
            "memoryPolicy": {"mode": "MPOL_INTERLEAVE", "nodes": "0-3", "flags": ["MPOL_F_STATIC_NODES"]},
            "personality": {"domain": "LINUX32", "flags": []}
        },
        "windows": {"layerFolders": ["C:\\layer"]},
        "vm": {"hypervisor": {"path": "/usr/bin/qemu"}}
    }
    """#

    /// A small valid configuration for `create`, for the validator tests to vary.
    static let minimal = #"""
    {
        "ociVersion": "1.1.0",
        "process": {"args": ["/bin/true"], "cwd": "/", "user": {"uid": 0, "gid": 0}},
        "root": {"path": "rootfs"},
        "hostname": "box",
        "linux": {"namespaces": [{"type": "pid"}, {"type": "network"}, {"type": "ipc"}, {"type": "uts"}, {"type": "mount"}]}
    }
    """#
}
