// SPDX-License-Identifier: (GPL-2.0-only OR Apache-2.0)
/*
 * The kernel-cost benchmark's floor: a program that returns at once, attached by kernel_cost.c to each
 * tracepoint the collector uses (the attach target is set per copy before load). What it costs is what
 * the kernel spends calling any BPF program there, before the collector does any work of its own.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

SEC("tp_btf")
int dispatch_only(void *ctx)
{
	return 0;
}
