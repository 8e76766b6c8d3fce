# Build and test machinery: lays the project over the Debian linux-source-6.12
# base tree in .build/ and drives the base tree's kunit.py. See README.md.
#
# Variables: ARCH=um|x86_64  PROFILE=normal|debug|kcsan  SMP=N  SUITES='glob'
#            JSON=file  KUNITCONFIG=file
#            OVERLAY=none  FORCE=1  KDIR=/path/to/linux-6.12
#            AUTHOR='Name <mail>'  BISECT=1 (make patches)

SHELL := /bin/bash
MAKEFLAGS += --no-print-directory
S := scripts

ifneq ($(filter-out um x86_64,$(or $(ARCH),um)),)
$(error unknown ARCH=$(ARCH); only ARCH=um (default) and ARCH=x86_64 are supported)
endif

export ARCH SUITES OVERLAY FORCE PROFILE SMP AUTHOR BISECT
ifneq ($(JSON),)
export JSON := $(abspath $(JSON))
endif
ifneq ($(KUNITCONFIG),)
export KUNITCONFIG := $(abspath $(KUNITCONFIG))
endif
ifneq ($(KDIR),)
export KDIR := $(abspath $(KDIR))
endif

.PHONY: help setup overlay kunit kunit-debug kunit-kcsan stress check patches patches-check compat bench docs timeline guest guest-compare fuzz clean distclean

help:
	@echo "make kunit        build UML and run every project KUnit suite (SUITES='glob', ARCH=x86_64, JSON=file)"
	@echo "make check        kunit + debug profile + log checks + checkpatch + kernel-doc + sparse + originality"
	@echo "make kunit-debug  the suites under lockdep, KASAN, UBSAN, DEBUG_LIST/OBJECTS/ATOMIC_SLEEP (ARCH=x86_64: on SMP=4 CPUs)"
	@echo "make kunit-kcsan  the suites under KCSAN and lockdep, x86_64 QEMU with SMP=4 CPUs"
	@echo "make stress       the seeded stress suites on SMP, one boot per seed (STRESS_MINUTES=N or STRESS_RUNS=N)"
	@echo "make overlay      lay the project over .build/src (KDIR=path: over your own 6.12 tree; FORCE=1)"
	@echo "make patches      git format-patch series against the base tree in .build/patches/ (AUTHOR='Name <mail>')"
	@echo "make patches-check checkpatch --strict on the series, git am on the base tree, identity with the overlay"
	@echo "make patches BISECT=1  patches-check, and a UML build (and the suites added) after each patch"
	@echo "make compat       compile the 10 in-tree scheduler users against the overlaid tree"
	@echo "make bench        benchmarks on the base tree's scheduler and ours, side by side"
	@echo "make docs         kernel-doc directives on project files, Sphinx on the project's pages"
	@echo "make guest        boot the debug kernel on QEMU's virtio-gpu-pci and run userspace tests (OVERLAY=none: base driver)"
	@echo "make guest-compare  make guest on the base driver and on ours, then one table"
	@echo "make fuzz         the ioctl fuzzer alone in the guest, long (FUZZ_ITERS=N FUZZ_SEED=S FUZZ_THREADS=T, OVERLAY=none)"
	@echo "make timeline     the suites (SUITES='glob') with trace events on; Perfetto JSON + SVG in .build/timeline"
	@echo "make setup        install missing Debian packages and unpack the base tree"
	@echo "make clean        remove build dirs (keeps the unpacked base tree and ccache)"
	@echo "make distclean    remove .build/ entirely"

setup:
	@$(S)/setup.sh

ifeq ($(KDIR),)
overlay: setup
endif
overlay:
	@$(S)/overlay.sh

kunit: overlay
	@$(S)/kunit.sh

kunit-debug: overlay
	@PROFILE=debug $(S)/kunit.sh

kunit-kcsan: overlay
	@ARCH=x86_64 PROFILE=kcsan $(S)/kunit.sh

stress: overlay
	@$(S)/stress.sh

check:
	@$(S)/check.sh

patches: setup
ifeq ($(BISECT),1)
	@$(S)/patches-check.sh
else
	@$(S)/mkpatches.sh
endif

patches-check: setup
	@$(S)/patches-check.sh

compat: overlay
	@$(S)/compat.sh

.PHONY: fake-vs-base
fake-vs-base: setup
	@$(S)/fake-vs-base.sh

bench: overlay
	@$(S)/bench.sh

docs: overlay
	@$(S)/docs.sh

timeline: overlay
	@$(S)/timeline.sh

# OVERLAY=none boots the pristine base tree: .build/src stays as it is.
guest: $(if $(filter none,$(OVERLAY)),setup,overlay)
	@$(S)/guest.sh

# The fuzzer alone, long; the seed is the time unless given.
fuzz: $(if $(filter none,$(OVERLAY)),setup,overlay)
	@GUEST_TESTS=fuzz FUZZ_ITERS=$${FUZZ_ITERS:-1000000} \
		FUZZ_SEED=$${FUZZ_SEED:-$$(date +%s)} GUEST_TIMEOUT=$${GUEST_TIMEOUT:-3600} $(S)/guest.sh

# Both drivers on the same device and userspace, then one table.
guest-compare: overlay
	@OVERLAY=none $(S)/guest.sh || true
	@OVERLAY=all $(S)/guest.sh || true
	@python3 $(S)/guest-report.py --compare .build/guest/base/results.txt .build/guest/ours/results.txt

clean:
	rm -rf .build/src .build/uml .build/uml-debug .build/x86_64 .build/x86_64-debug \
		.build/compat .build/patches .build/patches-repo .build/patches-plan \
		.build/patches-am .build/patches-am.log .build/bisect .build/x86_64-kcsan \
		.build/uml-base .build/docs .build/timeline

distclean:
	rm -rf .build
