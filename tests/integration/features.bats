#!/usr/bin/env bats
# `features`: the runtime-spec features document.

load helpers

teardown() {
	teardown_bundle
}

@test "features: valid JSON with the required versions" {
	run rt features
	[ "$status" -eq 0 ]
	echo "$output" | jq -e . >/dev/null
	echo "$output" | jq -e '(.ociVersionMin | type) == "string" and (.ociVersionMax | type) == "string"'
	echo "$output" | jq -e '.ociVersionMin | test("^1\\.0\\.")'
}

@test "features: hooks and mount options" {
	run rt features
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.hooks | index("prestart") != null and index("createRuntime") != null and index("poststop") != null'
	echo "$output" | jq -e '.mountOptions | type == "array" and length > 20 and index("rbind") != null and index("ro") != null'
	echo "$output" | jq -e '.mountOptions == (.mountOptions | unique)'
}

@test "features: linux namespaces and capabilities" {
	run rt features
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.linux.namespaces | index("mount") != null and index("user") != null and index("cgroup") != null'
	echo "$output" | jq -e '.linux.capabilities | index("CAP_SYS_ADMIN") != null and index("CAP_CHOWN") != null'
	echo "$output" | jq -e '.linux.capabilities | all(startswith("CAP_"))'
	echo "$output" | jq -e '.linux.cgroup | (.v1 | type) == "boolean" and (.v2 | type) == "boolean"'
}

@test "features: hull recognises the time namespace and v1.2 keys" {
	requires_hull
	run rt features
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.ociVersionMax == "1.2.0"'
	echo "$output" | jq -e '.linux.namespaces | index("time") != null'
	echo "$output" | jq -e '.linux.mountExtensions.idmap.enabled | type == "boolean"'
	echo "$output" | jq -e '.linux.intelRdt.enabled | type == "boolean"'
	echo "$output" | jq -e '.linux.cgroup.rdma | type == "boolean"'
	echo "$output" | jq -e '.annotations["io.github.hull.version"] | type == "string"'
}

@test "features: seccomp actions, operators, archs" {
	run rt features
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.linux.seccomp.enabled == true'
	for a in SCMP_ACT_ALLOW SCMP_ACT_ERRNO SCMP_ACT_KILL SCMP_ACT_KILL_PROCESS SCMP_ACT_KILL_THREAD \
		SCMP_ACT_LOG SCMP_ACT_NOTIFY SCMP_ACT_TRACE SCMP_ACT_TRAP; do
		echo "$output" | jq -e --arg a "$a" '.linux.seccomp.actions | index($a) != null'
	done
	echo "$output" | jq -e '.linux.seccomp.operators | sort == ["SCMP_CMP_EQ","SCMP_CMP_GE","SCMP_CMP_GT","SCMP_CMP_LE","SCMP_CMP_LT","SCMP_CMP_MASKED_EQ","SCMP_CMP_NE"]'
	echo "$output" | jq -e '.linux.seccomp.archs | index("SCMP_ARCH_X86_64") != null and index("SCMP_ARCH_AARCH64") != null'
	echo "$output" | jq -e '.annotations["io.github.seccomp.libseccomp.version"] | test("^[0-9]+\\.[0-9]+\\.[0-9]+$")'
}

@test "features: seccomp supportedFlags is a subset of knownFlags and matches the kernel" {
	requires_hull
	run rt features
	[ "$status" -eq 0 ]
	echo "$output" | jq -e '.linux.seccomp.knownFlags | index("SECCOMP_FILTER_FLAG_LOG") != null'
	echo "$output" | jq -e '.linux.seccomp as $s | ($s.supportedFlags - $s.knownFlags) == []'
	# Every supported flag is accepted by the parser and the kernel: a
	# container using all of them starts.
	local flags
	flags=$(echo "$output" | jq -c '.linux.seccomp.supportedFlags')
	setup_bundle
	update_config --argjson f "$flags" '.linux.seccomp = {"defaultAction": "SCMP_ACT_ALLOW", "flags": $f, "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"}]}'
	run_ctr "$ID"
	teardown_bundle
	[ "$status" -eq 0 ]
}

@test "features: --help and bad arguments" {
	requires_hull
	run rt features --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"--help"* ]]
	run rt features --bogus
	[ "$status" -ne 0 ]
	run rt features extra
	[ "$status" -ne 0 ]
}
