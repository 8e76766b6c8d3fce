/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What the scheduler exports to its KUnit suites only, with
 * EXPORT_SYMBOL_IF_KUNIT(): modules using it import the
 * EXPORTED_FOR_KUNIT_TESTING namespace.
 */
#ifndef _DRM_SCHED_KUNIT_H_
#define _DRM_SCHED_KUNIT_H_

#include <linux/ktime.h>
#include <linux/types.h>

struct drm_gpu_scheduler;
struct drm_sched_entity;

void drm_sched_set_clock(struct drm_gpu_scheduler *sched,
			 ktime_t (*clock)(struct drm_gpu_scheduler *sched));
u64 drm_sched_entity_runtime(struct drm_sched_entity *entity, u64 *vruntime);

#endif /* _DRM_SCHED_KUNIT_H_ */
