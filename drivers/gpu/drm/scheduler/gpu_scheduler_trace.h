/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Tracepoints of the DRM GPU scheduler.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM gpu_scheduler
#define TRACE_INCLUDE_FILE gpu_scheduler_trace

#ifndef _GPU_SCHED_TRACE_FIELDS_H_
#define _GPU_SCHED_TRACE_FIELDS_H_

#include <linux/device.h>

#include <drm/gpu_scheduler.h>

/*
 * A job armed after its entity was killed has no scheduler; it is still
 * queued (and cancelled), so the queue event must not assume one.
 */
static inline const char *drm_sched_trace_ring(const struct drm_sched_job *job)
{
	return job->sched && job->sched->name ? job->sched->name : "";
}

static inline const char *drm_sched_trace_dev(const struct drm_sched_job *job)
{
	return job->sched && job->sched->dev ? dev_name(job->sched->dev) : "";
}

static inline int drm_sched_trace_credits(const struct drm_sched_job *job)
{
	return job->sched ? atomic_read(&job->sched->credit_count) : 0;
}

#endif /* _GPU_SCHED_TRACE_FIELDS_H_ */

#if !defined(_GPU_SCHED_TRACE_H_) || defined(TRACE_HEADER_MULTI_READ)
#define _GPU_SCHED_TRACE_H_

#include <linux/tracepoint.h>

/**
 * DOC: Trace events
 *
 * The five events of the ``gpu_scheduler`` system are a stable interface,
 * the same as mainline's since Linux 6.17: names, fields and print formats,
 * so that tools which follow jobs through the scheduler (gpuvis, Perfetto,
 * trace-cmd) read this scheduler's trace as they read mainline's.
 *
 * ``drm_sched_job_queue``
 *	drm_sched_entity_push_job() took the job.
 * ``drm_sched_job_add_dep``
 *	One per dependency the job keeps, emitted when it is pushed: the
 *	job's fence depends on fence ``ctx:seqno``.
 * ``drm_sched_job_unschedulable``
 *	The job cannot run before fence ``ctx:seqno`` signals. This
 *	scheduler waits on all of a job's dependencies from the push on, so
 *	the record comes at the push, one per dependency that had not
 *	signalled yet, and from the run worker for an unsignalled fence
 *	returned by &drm_sched_backend_ops.prepare_job; mainline's run worker
 *	waits on one dependency at a time and records each when it gets to
 *	it. A fence that signals just after it was looked at may still get a
 *	record.
 * ``drm_sched_job_run``
 *	The job is handed to &drm_sched_backend_ops.run_job.
 * ``drm_sched_job_done``
 *	The hardware finished the job (its finished fence signals next).
 *
 * A job is named by the context and seqno of its finished fence
 * (``fence=context:seqno``). ``dev`` is the dev_name() of
 * &drm_gpu_scheduler.dev (empty when the scheduler has none), ``ring`` is
 * &drm_gpu_scheduler.name; ``job count`` is the number of jobs queued in the
 * entity, ``hw job count`` the credits in use on the scheduler, and
 * ``client_id`` the &drm_file client id given to drm_sched_job_init().
 * Every event needs the job armed (drm_sched_job_arm()).
 */

/* Queue and run: where a job is and how busy its entity and ring are. */
DECLARE_EVENT_CLASS(drm_sched_job_where,
	TP_PROTO(struct drm_sched_job *job, struct drm_sched_entity *entity),
	TP_ARGS(job, entity),
	TP_STRUCT__entry(
		__string(name, drm_sched_trace_ring(job))
		__field(u32, job_count)
		__field(int, hw_job_count)
		__string(dev, drm_sched_trace_dev(job))
		__field(u64, fence_context)
		__field(u64, fence_seqno)
		__field(u64, client_id)
	),
	TP_fast_assign(
		const struct dma_fence *finished = &job->s_fence->finished;

		__entry->fence_context = finished->context;
		__entry->fence_seqno = finished->seqno;
		__entry->client_id = job->s_fence->drm_client_id;
		__entry->job_count = spsc_queue_count(&entity->job_queue);
		__entry->hw_job_count = drm_sched_trace_credits(job);
		__assign_str(name);
		__assign_str(dev);
	),
	TP_printk("dev=%s, fence=%llu:%llu, ring=%s, job count:%u, hw job count:%d, client_id:%llu",
		  __get_str(dev), __entry->fence_context, __entry->fence_seqno,
		  __get_str(name), __entry->job_count, __entry->hw_job_count,
		  __entry->client_id)
);

DEFINE_EVENT(drm_sched_job_where, drm_sched_job_queue,
	TP_PROTO(struct drm_sched_job *job, struct drm_sched_entity *entity),
	TP_ARGS(job, entity));

DEFINE_EVENT(drm_sched_job_where, drm_sched_job_run,
	TP_PROTO(struct drm_sched_job *job, struct drm_sched_entity *entity),
	TP_ARGS(job, entity));

TRACE_EVENT(drm_sched_job_done,
	TP_PROTO(struct drm_sched_fence *s_fence),
	TP_ARGS(s_fence),
	TP_STRUCT__entry(
		__field(u64, fence_context)
		__field(u64, fence_seqno)
	),
	TP_fast_assign(
		__entry->fence_context = s_fence->finished.context;
		__entry->fence_seqno = s_fence->finished.seqno;
	),
	TP_printk("fence=%llu:%llu signaled", __entry->fence_context,
		  __entry->fence_seqno)
);

/* A job and one fence it waits for. */
DECLARE_EVENT_CLASS(drm_sched_job_waits,
	TP_PROTO(struct drm_sched_job *job, struct dma_fence *dep),
	TP_ARGS(job, dep),
	TP_STRUCT__entry(
		__field(u64, fence_context)
		__field(u64, fence_seqno)
		__field(u64, ctx)
		__field(u64, seqno)
	),
	TP_fast_assign(
		__entry->ctx = dep->context;
		__entry->seqno = dep->seqno;
		__entry->fence_context = job->s_fence->finished.context;
		__entry->fence_seqno = job->s_fence->finished.seqno;
	),
	TP_printk("fence=%llu:%llu depends on fence=%llu:%llu",
		  __entry->fence_context, __entry->fence_seqno,
		  __entry->ctx, __entry->seqno)
);

DEFINE_EVENT(drm_sched_job_waits, drm_sched_job_add_dep,
	TP_PROTO(struct drm_sched_job *job, struct dma_fence *dep),
	TP_ARGS(job, dep));

/* Same record as add_dep, with the wording of mainline's format. */
DEFINE_EVENT_PRINT(drm_sched_job_waits, drm_sched_job_unschedulable,
	TP_PROTO(struct drm_sched_job *job, struct dma_fence *dep),
	TP_ARGS(job, dep),
	TP_printk("fence=%llu:%llu depends on unsignalled fence=%llu:%llu",
		  __entry->fence_context, __entry->fence_seqno,
		  __entry->ctx, __entry->seqno));

#endif /* _GPU_SCHED_TRACE_H_ */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH ../../drivers/gpu/drm/scheduler
#include <trace/define_trace.h>
