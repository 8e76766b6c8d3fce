/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Tracepoints of the DRM GPU scheduler: a job is queued, waits on a
 * dependency, is handed to the hardware and completes.
 */
#if !defined(_GPU_SCHED_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _GPU_SCHED_TRACE_H_

#include <linux/tracepoint.h>
#include <linux/types.h>

#include <drm/gpu_scheduler.h>

#undef TRACE_SYSTEM
#define TRACE_SYSTEM gpu_scheduler
#define TRACE_INCLUDE_FILE gpu_scheduler_trace

/* A job entered its entity's queue. */
TRACE_EVENT(drm_sched_job,
	TP_PROTO(struct drm_sched_job *job, struct drm_sched_entity *entity),
	TP_ARGS(job, entity),
	TP_STRUCT__entry(
		__field(u64, job_id)
		__field(u64, fence_context)
		__field(u64, fence_seqno)
		__field(u32, credits)
		__field(int, queued)
		__string(ring, job->sched ? job->sched->name : "detached")
	),
	TP_fast_assign(
		__assign_str(ring);
		__entry->job_id = job->id;
		__entry->fence_context = job->s_fence->finished.context;
		__entry->fence_seqno = job->s_fence->finished.seqno;
		__entry->credits = job->credits;
		__entry->queued = spsc_queue_count(&entity->job_queue);
	),
	TP_printk("ring=%s id=%llu fence=%llu:%llu credits=%u queued=%d",
		  __get_str(ring), __entry->job_id, __entry->fence_context,
		  __entry->fence_seqno, __entry->credits, __entry->queued)
);

/* A job left its entity for the hardware. */
TRACE_EVENT(drm_run_job,
	TP_PROTO(struct drm_sched_job *job, struct drm_sched_entity *entity),
	TP_ARGS(job, entity),
	TP_STRUCT__entry(
		__field(u64, job_id)
		__field(u64, fence_context)
		__field(u64, fence_seqno)
		__field(int, credits_in_use)
		__field(int, left_in_entity)
		__string(ring, job->sched->name)
	),
	TP_fast_assign(
		__assign_str(ring);
		__entry->job_id = job->id;
		__entry->fence_context = job->s_fence->finished.context;
		__entry->fence_seqno = job->s_fence->finished.seqno;
		__entry->credits_in_use = atomic_read(&job->sched->credit_count);
		__entry->left_in_entity = spsc_queue_count(&entity->job_queue);
	),
	TP_printk("ring=%s id=%llu fence=%llu:%llu in_use=%d left=%d",
		  __get_str(ring), __entry->job_id, __entry->fence_context,
		  __entry->fence_seqno, __entry->credits_in_use,
		  __entry->left_in_entity)
);

TRACE_EVENT(drm_sched_process_job,
	TP_PROTO(struct drm_sched_fence *fence),
	TP_ARGS(fence),
	TP_STRUCT__entry(
		__field(u64, fence_context)
		__field(u64, fence_seqno)
		__field(int, error)
	),
	TP_fast_assign(
		__entry->fence_context = fence->finished.context;
		__entry->fence_seqno = fence->finished.seqno;
		__entry->error = fence->finished.error;
	),
	TP_printk("fence=%llu:%llu error=%d", __entry->fence_context,
		  __entry->fence_seqno, __entry->error)
);

TRACE_EVENT(drm_sched_job_wait_dep,
	TP_PROTO(struct drm_sched_job *job, struct dma_fence *fence),
	TP_ARGS(job, fence),
	TP_STRUCT__entry(
		__field(u64, job_id)
		__field(u64, dep_context)
		__field(u64, dep_seqno)
	),
	TP_fast_assign(
		__entry->job_id = job->id;
		__entry->dep_context = fence->context;
		__entry->dep_seqno = fence->seqno;
	),
	TP_printk("id=%llu waits for fence=%llu:%llu", __entry->job_id,
		  __entry->dep_context, __entry->dep_seqno)
);

#endif /* _GPU_SCHED_TRACE_H_ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH ../../drivers/gpu/drm/scheduler
#include <trace/define_trace.h>
