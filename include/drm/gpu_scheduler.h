/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * DRM GPU scheduler: the interface shared by the scheduler core and the
 * drivers that feed it.
 *
 * The layout of the structures below is part of the interface: in-tree
 * drivers read (and in a few places write) fields such as
 * &drm_gpu_scheduler.pending_list or &drm_sched_entity.job_queue directly.
 * Fields that no driver needs are marked as private to the scheduler.
 */
#ifndef _DRM_GPU_SCHEDULER_H_
#define _DRM_GPU_SCHEDULER_H_

#include <drm/drm_util.h>
#include <drm/spsc_queue.h>
#include <linux/completion.h>
#include <linux/dma-fence.h>
#include <linux/rbtree.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

struct device;
struct dma_resv;
struct drm_file;
struct drm_gem_object;
struct drm_gpu_scheduler;
struct drm_sched_entity_stats;
struct drm_sched_rq;
struct drm_sched_timeline;
enum dma_resv_usage;

/**
 * MAX_WAIT_SCHED_ENTITY_Q_EMPTY - how long drm_sched_entity_destroy() waits
 * for an entity's queue to drain before it cancels what is left.
 */
#define MAX_WAIT_SCHED_ENTITY_Q_EMPTY msecs_to_jiffies(1000)

/**
 * DRM_SCHED_FENCE_DONT_PIPELINE - fence flag that forbids pipelining
 *
 * A job normally waits on a finished fence of the same scheduler only until
 * that fence's job has been handed to the hardware, since the hardware ring
 * orders the two jobs anyway. Set this bit on the finished fence to make
 * dependent jobs wait for full completion instead.
 */
#define DRM_SCHED_FENCE_DONT_PIPELINE		DMA_FENCE_FLAG_USER_BITS

/**
 * DRM_SCHED_FENCE_FLAG_HAS_DEADLINE_BIT - a deadline was set on the finished
 * fence and is stored in &drm_sched_fence.deadline.
 */
#define DRM_SCHED_FENCE_FLAG_HAS_DEADLINE_BIT	(DMA_FENCE_FLAG_USER_BITS + 1)

/**
 * enum drm_sched_priority - run queue priorities, highest first
 * @DRM_SCHED_PRIORITY_KERNEL: the driver's own work, served before anything
 * @DRM_SCHED_PRIORITY_HIGH: elevated userspace priority
 * @DRM_SCHED_PRIORITY_NORMAL: the default userspace priority
 * @DRM_SCHED_PRIORITY_LOW: background work
 * @DRM_SCHED_PRIORITY_COUNT: number of priorities; also the largest allowed
 * &drm_sched_init_args.num_rqs
 *
 * The values index &drm_gpu_scheduler.sched_rq, so they start at zero.
 */
enum drm_sched_priority {
	DRM_SCHED_PRIORITY_KERNEL = 0,
	DRM_SCHED_PRIORITY_HIGH = 1,
	DRM_SCHED_PRIORITY_NORMAL = 2,
	DRM_SCHED_PRIORITY_LOW = 3,
	DRM_SCHED_PRIORITY_COUNT = 4
};

/**
 * struct drm_sched_entity - a submission queue feeding one run queue
 *
 * Jobs of one entity run in the order they were pushed. An entity belongs to
 * exactly one run queue at a time; with several candidate schedulers it may
 * move to the least loaded one whenever it is idle.
 */
struct drm_sched_entity {
	/** @job_queue: pushed jobs not yet handed to the hardware */
	struct spsc_queue		job_queue;
	/**
	 * @fence_context: the scheduled fences of this entity use this context
	 * and the finished fences the next one
	 */
	u64				fence_context;
	/** @fence_seq: the last sequence number given to a job's fences */
	atomic_t			fence_seq;
	/** @last_scheduled: finished fence of the job popped last */
	struct dma_fence __rcu		*last_scheduled;

	/** @lock: protects @rq, @sched_list, @num_sched_list, @priority and @stopped */
	spinlock_t			lock;
	/** @stopped: the entity was killed and accepts no more work */
	bool				stopped;
	/** @rq: the run queue the entity is on, NULL when it has none */
	struct drm_sched_rq		*rq;
	/** @priority: the priority the entity asks for */
	enum drm_sched_priority		priority;
	/**
	 * @sched_list: the schedulers the entity may move between; NULL when
	 * the entity was created with a single scheduler
	 */
	struct drm_gpu_scheduler	**sched_list;
	/** @num_sched_list: number of entries in @sched_list */
	unsigned int			num_sched_list;
	/** @list: link in &drm_sched_rq.entities, protected by the rq lock */
	struct list_head		list;

	/**
	 * @guilty: set to 1 once a job of this entity exceeded the scheduler's
	 * hang limit; later jobs then finish with -ECANCELED
	 */
	atomic_t			*guilty;
	/** @last_user: the group leader of the process that pushed last */
	struct task_struct		*last_user;
	/**
	 * @entity_idle: completed whenever the run worker is not looking at
	 * this entity; drm_sched_entity_fini() waits on it
	 */
	struct completion		entity_idle;
	/**
	 * @dependency: the fence returned by &drm_sched_backend_ops.prepare_job
	 * that the head job waits on, if any
	 */
	struct dma_fence		*dependency;
	/** @cb: callback installed on @dependency */
	struct dma_fence_cb		cb;

	/* Private to the scheduler. */

	/** @single_sched: the only scheduler, when @sched_list is NULL */
	struct drm_gpu_scheduler	*single_sched;
	/** @ops: the backend of the entity's schedulers */
	const struct drm_sched_backend_ops	*ops;
	/** @fifo_node: position in &drm_sched_rq.fifo_tree */
	struct rb_node			fifo_node;
	/** @fifo_key: push time of the entity's head job, the FIFO key */
	ktime_t				fifo_key;
	/** @fair_node: position in &drm_sched_rq.fair_tree */
	struct rb_node			fair_node;
	/** @fair_key: virtual runtime when last queued, the fair key */
	s64				fair_key;
	/** @stats: GPU time used, shared with the entity's jobs on the hardware */
	struct drm_sched_entity_stats	*stats;
	/** @killed_tail: finished fence of the last job cancelled by a kill */
	struct dma_fence		*killed_tail;
};

/** DRM_SCHED_POLICY_RR - round robin among the ready entities of a run queue */
#define DRM_SCHED_POLICY_RR	0
/** DRM_SCHED_POLICY_FIFO - the entity whose next job was pushed first wins */
#define DRM_SCHED_POLICY_FIFO	1
/**
 * DRM_SCHED_POLICY_FAIR - the entity that used the least GPU time, weighted
 * by priority, wins; experimental and never the default
 */
#define DRM_SCHED_POLICY_FAIR	2
/* The sched_policy module parameter: how a run queue picks its next entity. */
extern int drm_sched_policy;

/**
 * struct drm_sched_rq - the entities of one priority on one scheduler
 */
struct drm_sched_rq {
	/** @sched: the scheduler owning this run queue */
	struct drm_gpu_scheduler	*sched;
	/** @lock: protects @entities, @rr_cursor, @fifo_tree, @fair_tree and @dead */
	spinlock_t			lock;
	/** @entities: every entity on this run queue */
	struct list_head		entities;

	/* Private to the scheduler. */

	/** @rr_cursor: the entity chosen last under round robin */
	struct drm_sched_entity		*rr_cursor;
	/** @fifo_tree: entities with queued jobs ordered by &drm_sched_entity.fifo_key */
	struct rb_root_cached		fifo_tree;
	/** @fair_tree: the same entities ordered by &drm_sched_entity.fair_key */
	struct rb_root_cached		fair_tree;
	/** @dead: drm_sched_fini() is tearing the queue down; no entity joins */
	bool				dead;
};

/**
 * struct drm_sched_fence - the two fences a scheduler job publishes
 *
 * @scheduled signals when the job is handed to the hardware, @finished when
 * the hardware is done with it (with the error of the hardware fence, if
 * any). Both fences live in one allocation that is freed when the last
 * reference to either goes away.
 */
struct drm_sched_fence {
	/** @scheduled: signalled when the job starts on the hardware */
	struct dma_fence		scheduled;
	/** @finished: signalled when the job completed or was cancelled */
	struct dma_fence		finished;
	/** @lock: the lock of both fences */
	spinlock_t			lock;
	/** @parent: the hardware fence returned by &drm_sched_backend_ops.run_job */
	struct dma_fence		*parent;
	/** @deadline: deadline set on @finished, forwarded to @parent */
	ktime_t				deadline;
	/**
	 * @sched: the scheduler the job was armed on; only compared, never
	 * dereferenced by the fence code, as the fence may outlive it
	 */
	struct drm_gpu_scheduler	*sched;
	/** @owner: driver cookie passed to drm_sched_job_init() */
	void				*owner;
	/** @drm_client_id: the submitting &drm_file's client id */
	u64				drm_client_id;

	/* Private to the scheduler. */

	/** @timeline: refcounted timeline name, valid for the fence's lifetime */
	struct drm_sched_timeline	*timeline;
};

struct drm_sched_fence *to_drm_sched_fence(struct dma_fence *f);

/**
 * struct drm_sched_dep - one stored dependency of a job (private)
 * @fence: the dependency; the set holds one reference
 * @context: @fence's context, cached for lookups
 * @waited: the fence actually waited on (@fence, or the scheduled fence of
 * @fence when pipelining on the same scheduler); holds its own reference
 * when it differs from @fence
 * @cb: callback on @waited
 * @job: the job this dependency belongs to
 */
struct drm_sched_dep {
	struct dma_fence		*fence;
	u64				context;
	struct dma_fence		*waited;
	struct dma_fence_cb		cb;
	struct drm_sched_job		*job;
};

/**
 * struct drm_sched_dep_set - a job's dependencies, one per fence context
 * (private to the scheduler)
 * @slots: the dependencies, dense, in the order their contexts first appeared
 * @index: open-addressing hash table mapping a context to 1 + its slot
 * number, 0 meaning empty; lives in the same allocation as @slots
 * @count: used entries of @slots
 * @capacity: size of @slots; @index has twice as many entries
 * @unresolved: dependencies still to signal, plus one while arming
 * @armed: callbacks were installed by drm_sched_entity_push_job()
 */
struct drm_sched_dep_set {
	struct drm_sched_dep		*slots;
	u32				*index;
	u32				count;
	u32				capacity;
	atomic_t			unresolved;
	bool				armed;
};

/**
 * struct drm_sched_job - a unit of work for the scheduler
 *
 * Drivers embed this in their own job structure, initialise it with
 * drm_sched_job_init(), add dependencies, commit to it with
 * drm_sched_job_arm() and hand it over with drm_sched_entity_push_job().
 */
struct drm_sched_job {
	/** @entity: the entity the job was created on; NULL once it is popped */
	struct drm_sched_entity		*entity;
	/** @sched: the scheduler chosen by drm_sched_job_arm() */
	struct drm_gpu_scheduler	*sched;
	/** @s_fence: the job's scheduled and finished fences */
	struct drm_sched_fence		*s_fence;
	/** @credits: ring space the job occupies while it runs */
	u32				credits;
	/** @s_priority: the entity's priority when the job was armed */
	enum drm_sched_priority		s_priority;
	/** @id: unique per scheduler, given at arm time */
	u64				id;
	/** @karma: how often the job was blamed for a hang */
	atomic_t			karma;
	/** @submit_ts: when the job was pushed, the FIFO ordering key */
	ktime_t				submit_ts;
	/** @queue_node: link in &drm_sched_entity.job_queue */
	struct spsc_node		queue_node;
	/** @list: link in &drm_gpu_scheduler.pending_list while on the hardware */
	struct list_head		list;
	/** @cb: callback on the hardware fence */
	struct dma_fence_cb		cb;
	/**
	 * @dependencies: every stored dependency fence, for drivers that look
	 * at them in prepare_job or run_job; read-only for drivers
	 */
	struct xarray			dependencies;
	union {
		/** @finish_cb: chains a cancelled job behind its predecessor */
		struct dma_fence_cb	finish_cb;
		/** @work: finishes a cancelled job in process context */
		struct work_struct	work;
	};

	/* Private to the scheduler. */

	/** @deps: the dependency set behind @dependencies */
	struct drm_sched_dep_set	deps;
	/** @ops: the backend that frees the job, fixed at arm time */
	const struct drm_sched_backend_ops	*ops;
	/** @cancel_error: error a cancelled job finishes with, 0 if none */
	int				cancel_error;
	/** @cleaned_up: drm_sched_job_cleanup() ran */
	bool				cleaned_up;
	/** @fair_shift: how far the job's GPU time is shifted when charged */
	u8				fair_shift;
	/** @fair_start: when the job left its entity, in ns */
	s64				fair_start;
	/**
	 * @fair_settled: set by whichever comes first of the charge at
	 * completion and the release without one
	 */
	atomic_t			fair_settled;
	/** @fair_advance: GPU time in ns charged before the job completed */
	s64				fair_advance;
	/** @fair_stats: what the job's GPU time is charged to, under the fair policy */
	struct drm_sched_entity_stats	*fair_stats;
};

/**
 * drm_sched_invalidate_job - blame a job for a hang
 * @s_job: the job, may be NULL
 * @threshold: how many hangs are tolerated
 *
 * Returns: true when @s_job has now hung more than @threshold times.
 */
static inline bool drm_sched_invalidate_job(struct drm_sched_job *s_job,
					    int threshold)
{
	return s_job && atomic_inc_return(&s_job->karma) > threshold;
}

/**
 * enum drm_gpu_sched_stat - what &drm_sched_backend_ops.timedout_job found
 * @DRM_GPU_SCHED_STAT_NONE: never returned; keeps 0 unused
 * @DRM_GPU_SCHED_STAT_RESET: the job hung and the driver dealt with it
 * (usually a reset); the timeout is armed again for what is pending
 * @DRM_GPU_SCHED_STAT_NOMINAL: the name 6.12 drivers use for
 * %DRM_GPU_SCHED_STAT_RESET
 * @DRM_GPU_SCHED_STAT_ENODEV: the device is gone; the timeout is not re-armed
 * @DRM_GPU_SCHED_STAT_NO_HANG: a false alarm, the job is still making
 * progress; the scheduler puts it back at the head of the pending list and
 * re-arms the timeout
 *
 * Who owns the job after timedout_job() returns: the scheduler took the job
 * off &drm_gpu_scheduler.pending_list before the call, and touches it again
 * in exactly two cases: when the driver returns %DRM_GPU_SCHED_STAT_NO_HANG
 * (the job goes back on the pending list and is freed once it finishes),
 * and when drm_sched_stop() found the job already finished during the call
 * (the scheduler calls free_job() for it after timedout_job() returns). In
 * every other case the job belongs to the driver: drm_sched_stop() puts it
 * back on the pending list for drm_sched_start() to finish, or the driver
 * keeps it and must free it itself: a driver that returns
 * %DRM_GPU_SCHED_STAT_RESET for a false alarm without calling
 * drm_sched_stop() leaks the job, as it did in 6.12, and should return
 * %DRM_GPU_SCHED_STAT_NO_HANG instead. NO_HANG and drm_sched_stop() do not
 * mix: the job would be put back twice, which warns. After drm_sched_start()
 * the job may be freed on another CPU before timedout_job() returns.
 */
enum drm_gpu_sched_stat {
	DRM_GPU_SCHED_STAT_NONE,
	DRM_GPU_SCHED_STAT_RESET,
	DRM_GPU_SCHED_STAT_NOMINAL = DRM_GPU_SCHED_STAT_RESET,
	DRM_GPU_SCHED_STAT_ENODEV,
	DRM_GPU_SCHED_STAT_NO_HANG,
};

/**
 * struct drm_sched_backend_ops - what a driver implements
 *
 * run_job and free_job are called inside a dma-fence signalling critical
 * section (dma_fence_begin_signalling()) when the workers call them: they must not
 * allocate memory with GFP_KERNEL or take locks that are held while waiting
 * on a fence. Lockdep reports violations.
 */
struct drm_sched_backend_ops {
	/**
	 * @run_job: hand the job to the hardware. Returns the hardware fence
	 * (the scheduler takes over that reference), NULL when there is
	 * nothing to wait for, or an ERR_PTR() that becomes the error of the
	 * finished fence.
	 */
	struct dma_fence *(*run_job)(struct drm_sched_job *job);

	/**
	 * @free_job: the job is done (completed or cancelled); release it,
	 * usually with drm_sched_job_cleanup() and kfree().
	 */
	void (*free_job)(struct drm_sched_job *job);

	/**
	 * @timedout_job: the oldest running job made no progress within
	 * &drm_gpu_scheduler.timeout. The job is taken off the pending list
	 * before the call; what happens to it afterwards depends on the
	 * return value, see &enum drm_gpu_sched_stat.
	 */
	enum drm_gpu_sched_stat (*timedout_job)(struct drm_sched_job *job);

	/**
	 * @prepare_job: optional; called once the stored dependencies of the
	 * job signalled. Returns a further fence to wait on, or NULL when the
	 * job may run. Called again after each returned fence signals.
	 */
	struct dma_fence *(*prepare_job)(struct drm_sched_job *job,
					 struct drm_sched_entity *entity);

	/**
	 * @update_job_credits: optional; called before the head job is
	 * checked against the free credits, may lower its credit count.
	 */
	u32 (*update_job_credits)(struct drm_sched_job *job);

	/**
	 * @cancel_job: optional; drm_sched_fini() calls it for every job on
	 * the hardware that has not finished, oldest first (mainline goes
	 * newest first and also passes finished jobs), after the run and free
	 * workers and the timeout handler were stopped. The driver takes the
	 * job off the hardware and signals its hardware fence with an error
	 * (usually -ECANCELED), which the finished fence then carries; it
	 * must not free the job: free_job() follows. The hardware may finish
	 * the job during the call, so the driver signals under the fence's
	 * lock and leaves a fence that already signalled alone. A job whose
	 * fence is still unsignalled when the call returns, or that
	 * drm_sched_stop() detached from its fence, finishes with
	 * -ECANCELED. Without this callback every such job finishes with
	 * -ECANCELED and the hardware fence is left to the driver.
	 */
	void (*cancel_job)(struct drm_sched_job *job);
};

/**
 * struct drm_gpu_scheduler - one hardware ring (or firmware queue)
 */
struct drm_gpu_scheduler {
	/** @ops: the driver's callbacks */
	const struct drm_sched_backend_ops	*ops;
	/** @name: used in messages and as the fences' timeline name */
	const char			*name;
	/** @dev: device for messages, may be NULL */
	struct device			*dev;
	/** @credit_limit: credits the hardware ring holds */
	u32				credit_limit;
	/** @credit_count: credits taken by the jobs on the hardware */
	atomic_t			credit_count;
	/** @timeout: jiffies without progress before timedout_job is called */
	long				timeout;
	/** @hang_limit: hangs a job may cause before its entity is guilty */
	int				hang_limit;
	/** @num_rqs: entries of @sched_rq */
	u32				num_rqs;
	/** @sched_rq: one run queue per priority, highest first */
	struct drm_sched_rq		**sched_rq;
	/** @score: load estimate used by drm_sched_pick_best(), may be shared */
	atomic_t			*score;
	/** @_score: the score used when the driver passes none */
	atomic_t			_score;
	/** @job_id_count: source of &drm_sched_job.id */
	atomic64_t			job_id_count;
	/** @submit_wq: runs @work_run_job and @work_free_job */
	struct workqueue_struct		*submit_wq;
	/** @own_submit_wq: @submit_wq was allocated by drm_sched_init() */
	bool				own_submit_wq;
	/** @timeout_wq: runs @work_tdr */
	struct workqueue_struct		*timeout_wq;
	/** @work_run_job: picks ready entities and runs their jobs */
	struct work_struct		work_run_job;
	/** @work_free_job: frees completed jobs */
	struct work_struct		work_free_job;
	/** @work_tdr: the timeout handler */
	struct delayed_work		work_tdr;
	/** @job_list_lock: protects @pending_list */
	spinlock_t			job_list_lock;
	/** @pending_list: jobs handed to the hardware, oldest first */
	struct list_head		pending_list;
	/** @job_scheduled: woken whenever a job leaves an entity queue */
	wait_queue_head_t		job_scheduled;
	/** @ready: drm_sched_init() succeeded and drm_sched_fini() did not run */
	bool				ready;
	/** @pause_submit: the workers must not run (drm_sched_wqueue_stop()) */
	bool				pause_submit;
	/** @free_guilty: the timed-out job must be freed after timedout_job */
	bool				free_guilty;

	/* Private to the scheduler. */

	/** @timeline: refcounted copy of @name shared with the fences */
	struct drm_sched_timeline	*timeline;
	/** @policy: a DRM_SCHED_POLICY_* value, or -1 to follow the module parameter */
	int				policy;
	/** @fair_clock: the virtual runtime the fair policy served last */
	atomic64_t			fair_clock;
	/** @fair_busy_until: when the last job charged by the fair policy completed */
	atomic64_t			fair_busy_until;
	/** @fair_last_ns: GPU time of that job, the advance charge of a new entity */
	atomic64_t			fair_last_ns;
	/** @clock: time source of the fair policy; NULL means ktime_get() */
	ktime_t (*clock)(struct drm_gpu_scheduler *sched);
};

/**
 * struct drm_sched_init_args - parameters of drm_sched_init()
 * @ops: the driver's callbacks
 * @submit_wq: ordered workqueue for the run and free workers; NULL makes the
 * scheduler allocate its own
 * @timeout_wq: workqueue for the timeout handler; NULL means system_wq
 * @num_rqs: number of priorities served, 1 to %DRM_SCHED_PRIORITY_COUNT
 * @credit_limit: credits the hardware ring holds, at least 1
 * @hang_limit: hangs tolerated per job before its entity is guilty
 * @timeout: jiffies without progress before a timeout;
 * %MAX_SCHEDULE_TIMEOUT disables it
 * @score: optional shared load counter
 * @name: name for messages and fences
 * @dev: device for messages
 * @policy: %DRM_SCHED_POLICY_RR, %DRM_SCHED_POLICY_FIFO or
 * %DRM_SCHED_POLICY_FAIR, read only when @override_policy is set
 * @override_policy: use @policy for this scheduler instead of the
 * sched_policy module parameter
 */
struct drm_sched_init_args {
	const char *name;
	struct device *dev;
	const struct drm_sched_backend_ops *ops;

	u32 num_rqs;
	u32 credit_limit;
	atomic_t *score;

	long timeout;
	unsigned int hang_limit;

	struct workqueue_struct *submit_wq;
	struct workqueue_struct *timeout_wq;

	int policy;
	bool override_policy;
};

/* Scheduler lifecycle and workers (sched_main.c) */
int drm_sched_init(struct drm_gpu_scheduler *sched, const struct drm_sched_init_args *args);
void drm_sched_fini(struct drm_gpu_scheduler *sched);
struct drm_gpu_scheduler *drm_sched_pick_best(struct drm_gpu_scheduler **sched_list,
					      unsigned int num_sched_list);
void drm_sched_wqueue_start(struct drm_gpu_scheduler *sched);
void drm_sched_wqueue_stop(struct drm_gpu_scheduler *sched);
bool drm_sched_wqueue_ready(struct drm_gpu_scheduler *sched);

/* Jobs (sched_job.c) */
int drm_sched_job_init(struct drm_sched_job *job, struct drm_sched_entity *entity,
		       u32 credits, void *owner, u64 drm_client_id);
void drm_sched_job_arm(struct drm_sched_job *job);
void drm_sched_job_cleanup(struct drm_sched_job *job);

/* Dependencies (sched_deps.c) */
int drm_sched_job_add_dependency(struct drm_sched_job *job, struct dma_fence *fence);
int drm_sched_job_add_resv_dependencies(struct drm_sched_job *job, struct dma_resv *resv,
					enum dma_resv_usage usage);
int drm_sched_job_add_implicit_dependencies(struct drm_sched_job *job,
					    struct drm_gem_object *obj, bool write);
int drm_sched_job_add_syncobj_dependency(struct drm_sched_job *job, struct drm_file *file,
					 u32 handle, u32 point);

/* Entities (sched_entity.c) */
int drm_sched_entity_init(struct drm_sched_entity *entity, enum drm_sched_priority priority,
			  struct drm_gpu_scheduler **sched_list, unsigned int num_sched_list,
			  atomic_t *guilty);
void drm_sched_entity_push_job(struct drm_sched_job *job);
int drm_sched_entity_error(struct drm_sched_entity *entity);
void drm_sched_entity_set_priority(struct drm_sched_entity *entity,
				   enum drm_sched_priority priority);
void drm_sched_entity_modify_sched(struct drm_sched_entity *entity,
				   struct drm_gpu_scheduler **sched_list,
				   unsigned int num_sched_list);
long drm_sched_entity_flush(struct drm_sched_entity *entity, long timeout);
void drm_sched_entity_kill(struct drm_sched_entity *entity);
void drm_sched_entity_fini(struct drm_sched_entity *entity);
void drm_sched_entity_destroy(struct drm_sched_entity *entity);

/**
 * drm_sched_is_stopped - whether the run and free workers are paused
 * @sched: the scheduler
 *
 * The scheduler is stopped between drm_sched_wqueue_stop() (which
 * drm_sched_stop() and drm_sched_fini() call) and drm_sched_wqueue_start():
 * no job is handed to the hardware or freed by the workers then. The
 * timeout handler is not paused by this: it still takes the job that timed
 * out off &drm_gpu_scheduler.pending_list.
 *
 * Returns: true while the workers are paused.
 */
static inline bool drm_sched_is_stopped(struct drm_gpu_scheduler *sched)
{
	return READ_ONCE(sched->pause_submit);
}

bool drm_sched_job_is_signaled(struct drm_sched_job *job);

/* Only for drm_sched_for_each_pending_job(). */
static inline void drm_sched_pending_walk_begin(struct drm_gpu_scheduler *sched)
{
	WARN_ON(!drm_sched_is_stopped(sched));
}

/*
 * A job on the hardware no longer points at its entity, which may be gone;
 * its fences still carry the entity's fence context.
 */
static inline bool drm_sched_job_from_entity(const struct drm_sched_job *job,
					     const struct drm_sched_entity *entity)
{
	return job->s_fence->scheduled.context == entity->fence_context;
}

/**
 * drm_sched_for_each_pending_job - walk the jobs on the hardware
 * @__job: the loop cursor, a &struct drm_sched_job pointer
 * @__sched: the scheduler, which must be stopped (drm_sched_is_stopped())
 * @__entity: only visit jobs of this entity; NULL visits every job
 *
 * Visits &drm_gpu_scheduler.pending_list oldest first, for a driver that
 * resubmits or inspects jobs during a reset instead of open-coding the walk.
 * The walk is only valid while the workers are paused and the timeout
 * handler cannot change the list: from &drm_sched_backend_ops.timedout_job
 * itself, or from a reset path that excludes it. It warns when it starts
 * on a scheduler that is not stopped. The body must not take @__job off
 * the list.
 */
#define drm_sched_for_each_pending_job(__job, __sched, __entity)		\
	for (drm_sched_pending_walk_begin(__sched),				\
	     __job = list_first_entry(&(__sched)->pending_list,			\
				      typeof(*(__job)), list);			\
	     !list_entry_is_head(__job, &(__sched)->pending_list, list);	\
	     __job = list_next_entry(__job, list))				\
		for_each_if(!(__entity) || drm_sched_job_from_entity(__job, __entity))

/* Timeouts and recovery (sched_tdr.c) */
void drm_sched_fault(struct drm_gpu_scheduler *sched);
void drm_sched_tdr_queue_imm(struct drm_gpu_scheduler *sched);
unsigned long drm_sched_suspend_timeout(struct drm_gpu_scheduler *sched);
void drm_sched_resume_timeout(struct drm_gpu_scheduler *sched, unsigned long remaining);
void drm_sched_stop(struct drm_gpu_scheduler *sched, struct drm_sched_job *bad);
void drm_sched_resubmit_jobs(struct drm_gpu_scheduler *sched);
void drm_sched_start(struct drm_gpu_scheduler *sched);
void drm_sched_increase_karma(struct drm_sched_job *bad);

#endif /* _DRM_GPU_SCHEDULER_H_ */
