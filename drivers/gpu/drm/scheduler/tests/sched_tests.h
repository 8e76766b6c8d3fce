/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Mock backend for the DRM GPU scheduler KUnit suites.
 *
 * The fake GPU is a single in-order timeline per mock scheduler: every job
 * handed to it by run_job gets a hardware fence on the timeline's fence
 * context. Jobs given a duration retire on their own from an hrtimer once
 * that much time passed; jobs with a zero duration only retire when the test
 * calls drm_mock_sched_advance(). Either way the timeline retires strictly in
 * submission order, so a stuck head blocks everything behind it, like a
 * real ring.
 *
 * Ownership: every constructor here ties its object to the &struct kunit it
 * was given; the objects are torn down by KUnit actions when the test ends,
 * in reverse order of creation. Tests may tear down early with the *_fini()
 * helpers, which run the same action ahead of time.
 */
#ifndef _DRM_SCHED_TESTS_H_
#define _DRM_SCHED_TESTS_H_

#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <drm/gpu_scheduler.h>

/* How many times one mock job may be handed to the hardware. */
#define DRM_MOCK_MAX_RUNS	4

/* A generous bound for waits that are expected to succeed. */
#define DRM_MOCK_WAIT		(5 * HZ)

/* Backend callbacks, as bits of &drm_mock_scheduler.outside_signalling. */
#define DRM_MOCK_CB_RUN		BIT(0)
#define DRM_MOCK_CB_TIMEDOUT	BIT(1)
#define DRM_MOCK_CB_FREE	BIT(2)

struct drm_mock_sched_job;
struct drm_mock_scheduler;

/**
 * struct drm_mock_hw_fence - one hardware fence of the mock timeline
 * @base: the fence; its lock is &drm_mock_scheduler.lock
 * @link: position on &drm_mock_scheduler.hw_queue while unsignalled
 * @expires: when the timer retires it; 0 for a hand-advanced fence
 * @error: error to signal with, 0 for success
 * @hang: never retired by the timer nor by drm_mock_sched_advance()
 * @deadline: last deadline forwarded to the fence
 * @has_deadline: @deadline is valid
 * @credits: credits of the job that owns the fence
 * @job: the job that owns the fence; no reference, the test holds one
 * @virtual_ns: run time on the virtual clock, see drm_mock_sched_retire_virtual()
 */
struct drm_mock_hw_fence {
	struct dma_fence base;
	struct list_head link;
	ktime_t expires;
	int error;
	bool hang;
	ktime_t deadline;
	bool has_deadline;
	u32 credits;
	struct drm_mock_sched_job *job;
	u64 virtual_ns;
};

/**
 * struct drm_mock_timeline - a fence context for fences made by tests
 * @refcount: one reference for the test, one per fence
 * @test: the owning test
 * @lock: the lock of every fence on this timeline
 * @context: the fence context
 */
struct drm_mock_timeline {
	struct kref refcount;
	struct kunit *test;
	spinlock_t lock; /* the fences' lock */
	u64 context;
};

/**
 * typedef drm_mock_run_hook_t - per-job hook called from run_job
 * @job: the job being run
 * @data: the pointer given with the hook
 *
 * Runs in the scheduler's worker inside a fence signalling section: it must
 * not sleep on fences, allocate with GFP_KERNEL or assert.
 */
typedef void (*drm_mock_run_hook_t)(struct drm_mock_sched_job *job, void *data);

/**
 * typedef drm_mock_free_hook_t - per-job hook called from free_job
 * @job: the job being freed; still intact during the call
 * @data: the pointer given with the hook
 *
 * Runs wherever the scheduler frees the job (a worker, drm_sched_fini()),
 * inside a fence signalling section, before the job is cleaned up. Lets a
 * test act at the moment the scheduler hands a job back. Must not assert.
 */
typedef void (*drm_mock_free_hook_t)(struct drm_mock_sched_job *job, void *data);

/**
 * typedef drm_mock_timedout_hook_t - hook called from timedout_job
 * @sched: the mock scheduler
 * @job: the job that timed out
 * @data: the pointer given with the hook
 *
 * Runs in the timeout worker. It may call the recovery interface
 * (drm_sched_stop() and friends) like a driver would, but must not assert.
 * The hook owns the job as a driver's handler does (see
 * &enum drm_gpu_sched_stat): it gives it back with drm_sched_stop(), or
 * the status it makes timedout_job return must be
 * %DRM_GPU_SCHED_STAT_NO_HANG. Without a hook, timedout_job frees a job it
 * does not give back once the job finished.
 */
typedef void (*drm_mock_timedout_hook_t)(struct drm_mock_scheduler *sched,
					 struct drm_mock_sched_job *job,
					 void *data);

/**
 * struct drm_mock_sched_params - how to build a mock scheduler
 * @num_rqs: run queues, 0 means %DRM_SCHED_PRIORITY_COUNT
 * @credit_limit: ring size in credits, 0 means 64
 * @hang_limit: karma allowed before an entity is guilty
 * @timeout: TDR timeout in jiffies, 0 means %MAX_SCHEDULE_TIMEOUT
 * @score: optional shared score counter
 * @submit_wq: optional submit workqueue, NULL lets the scheduler allocate
 * @prepare_job: install the prepare_job callback
 * @update_credits: install the update_job_credits callback
 * @cancel_job: install the cancel_job callback
 * @override_policy: pass @policy in the init args
 * @policy: the scheduler's own policy, a DRM_SCHED_POLICY_* value
 * @name: scheduler name, NULL means "mock"
 */
struct drm_mock_sched_params {
	u32 num_rqs;
	u32 credit_limit;
	unsigned int hang_limit;
	long timeout;
	atomic_t *score;
	struct workqueue_struct *submit_wq;
	bool prepare_job;
	bool update_credits;
	bool cancel_job;
	bool override_policy;
	int policy;
	const char *name;
};

/**
 * struct drm_mock_scheduler - a scheduler driving a fake timeline
 * @base: the scheduler under test
 * @test: the test owning this scheduler
 * @ops: private copy of the backend operations (optional ones toggled)
 * @lock: lock of every hardware fence of this timeline and of @hw_queue
 * @hw_context: fence context of the hardware fences
 * @hw_seqno: last sequence number given to a hardware fence
 * @hw_queue: unsignalled hardware fences, oldest first
 * @hw_credits: credits of the jobs on @hw_queue
 * @timer: retires timed fences whose time came
 * @wq: woken on every counter change below
 * @run_count: run_job calls
 * @free_count: free_job calls
 * @timedout_count: timedout_job calls
 * @prepare_count: prepare_job calls
 * @credits_count: update_job_credits calls
 * @cancel_count: cancel_job calls
 * @cancel_running: cancel_job calls that found the workers running
 * @double_free: free_job calls on an already freed job
 * @adopted: jobs kept after a timeout whose freeing work item did not run
 * @outside_signalling: DRM_MOCK_CB_* bits of the callbacks that found
 * themselves outside a fence signalling section at least once
 * @signalling_checks: DRM_MOCK_CB_* bits of the callbacks that checked
 * @timedout_status: what timedout_job returns
 * @timedout_fail_hw: timedout_job signals the job's hardware fence with
 * -ETIMEDOUT
 * @timedout_hook: optional extra work in timedout_job
 * @timedout_data: argument of @timedout_hook
 * @last_timedout: the job last passed to timedout_job (no reference)
 * @cancel_error: what cancel_job signals the hardware fence with; 0 makes
 * cancel_job a driver that forgets to signal it
 * @finalized: drm_sched_fini() ran
 * @virtual_now: the virtual clock in ns, see drm_mock_sched_use_virtual_clock()
 */
struct drm_mock_scheduler {
	struct drm_gpu_scheduler base;
	struct kunit *test;
	struct drm_sched_backend_ops ops;

	spinlock_t lock; /* hardware fences and @hw_queue */
	u64 hw_context;
	u64 hw_seqno;
	struct list_head hw_queue;
	u32 hw_credits;
	struct hrtimer timer;

	wait_queue_head_t wq;
	atomic_t run_count;
	atomic_t free_count;
	atomic_t timedout_count;
	atomic_t prepare_count;
	atomic_t credits_count;
	atomic_t cancel_count;
	atomic_t cancel_running;
	atomic_t double_free;
	atomic_t adopted;
	atomic_t outside_signalling;
	atomic_t signalling_checks;

	enum drm_gpu_sched_stat timedout_status;
	bool timedout_fail_hw;
	drm_mock_timedout_hook_t timedout_hook;
	void *timedout_data;
	struct drm_mock_sched_job *last_timedout;
	int cancel_error;
	bool finalized;
	atomic64_t virtual_now;
};

/**
 * struct drm_mock_sched_entity - an entity owned by a test
 * @base: the entity under test
 * @test: the owning test
 * @destroyed: drm_sched_entity_destroy() already ran
 */
struct drm_mock_sched_entity {
	struct drm_sched_entity base;
	struct kunit *test;
	bool destroyed;
};

/**
 * struct drm_mock_sched_fixture - a scheduler and one entity, for test->priv
 * @sched: the mock scheduler
 * @entity: an entity of normal priority on @sched
 *
 * What most suites give every case: made by a suite's init hook and kept in
 * &kunit.priv, see drm_mock_sched_fixture_init().
 */
struct drm_mock_sched_fixture {
	struct drm_mock_scheduler *sched;
	struct drm_mock_sched_entity *entity;
};

/**
 * struct drm_mock_sched_job - a job of the mock backend
 * @base: the scheduler job
 * @refcount: one reference for the test, one for the scheduler once pushed
 * @test: the owning test
 * @owner: the scheduler of the job's entity at init time
 * @duration_us: hardware run time; 0 means the test advances it by hand
 * @virtual_ns: run time on the virtual clock, for a job advanced by hand
 * with drm_mock_sched_retire_virtual()
 * @tag: the test's own cookie, for telling jobs apart
 * @hang: the hardware fence never retires on its own
 * @hw_error: error the hardware fence signals with
 * @run_error: run_job returns ERR_PTR(@run_error) when non-zero
 * @run_null: run_job returns NULL
 * @prepare_fence: fence prepare_job returns once (reference owned here)
 * @new_credits: when non-zero, what update_job_credits returns
 * @run_hook: optional hook called from run_job
 * @hook_data: argument of @run_hook
 * @free_hook: optional hook called from the first free_job call
 * @free_data: argument of @free_hook
 * @finished: reference to the finished fence, taken at submission
 * @scheduled: reference to the scheduled fence, taken at submission
 * @hw: hardware fences, one per run; the job holds a reference on each used
 * @hw_used: entries of @hw handed to the hardware
 * @run_count: run_job calls for this job
 * @free_calls: free_job calls for this job
 * @timedout_count: timedout_job calls for this job
 * @cancel_calls: cancel_job calls for this job
 * @cancelled_at_free: @cancel_calls when free_job was called
 * @run_stamp: global order stamp of the last run_job call, 0 if none
 * @first_run_stamp: order stamp of the first run_job call
 * @deps_violation: run_job found a dependency not yet satisfied
 * @prepare_violation: prepare_job found a dependency not yet satisfied
 * @error_at_run: error of the finished fence when run_job was called
 * @credits_at_run: the job's credits when run_job was called
 * @credit_count_at_run: the scheduler's credit_count during run_job
 * @hw_credits_at_run: credits on the fake hardware including this job's,
 * as seen by run_job; never above the limit for a correct scheduler
 * @adopt_cb: waits for @finished when the timeout handler kept the job
 * @adopt_work: frees a job the timeout handler kept, once it finished
 * @pushed: handed to the scheduler, which now owns its cleanup
 * @inited: drm_sched_job_init() succeeded
 * @cleaned: drm_sched_job_cleanup() already ran
 */
struct drm_mock_sched_job {
	struct drm_sched_job base;
	struct kref refcount;
	struct kunit *test;
	struct drm_mock_scheduler *owner;

	unsigned int duration_us;
	u64 virtual_ns;
	void *tag;
	bool hang;
	int hw_error;
	int run_error;
	bool run_null;
	struct dma_fence *prepare_fence;
	u32 new_credits;
	drm_mock_run_hook_t run_hook;
	void *hook_data;
	drm_mock_free_hook_t free_hook;
	void *free_data;

	struct dma_fence *finished;
	struct dma_fence *scheduled;
	struct drm_mock_hw_fence *hw[DRM_MOCK_MAX_RUNS];
	unsigned int hw_used;

	atomic_t run_count;
	atomic_t free_calls;
	atomic_t timedout_count;
	atomic_t cancel_calls;
	int cancelled_at_free;
	u64 run_stamp;
	u64 first_run_stamp;
	bool deps_violation;
	bool prepare_violation;
	int error_at_run;
	u32 credits_at_run;
	int credit_count_at_run;
	u32 hw_credits_at_run;

	struct dma_fence_cb adopt_cb;
	struct work_struct adopt_work;
	bool pushed;
	bool inited;
	bool cleaned;
};

static inline struct drm_mock_scheduler *
drm_sched_to_mock_sched(struct drm_gpu_scheduler *sched)
{
	return container_of(sched, struct drm_mock_scheduler, base);
}

static inline struct drm_mock_sched_job *
drm_sched_job_to_mock_job(struct drm_sched_job *job)
{
	return container_of(job, struct drm_mock_sched_job, base);
}

/* Schedulers */
struct drm_mock_scheduler *
drm_mock_sched_new_params(struct kunit *test,
			  const struct drm_mock_sched_params *params);
struct drm_mock_scheduler *drm_mock_sched_new(struct kunit *test, long timeout);
void drm_mock_sched_fini(struct drm_mock_scheduler *sched);
unsigned int drm_mock_sched_advance(struct drm_mock_scheduler *sched,
				    unsigned int n);
unsigned int drm_mock_sched_hw_pending(struct drm_mock_scheduler *sched);
unsigned int drm_mock_sched_hw_reset(struct drm_mock_scheduler *sched,
				     int error);
u32 drm_mock_sched_credits(struct drm_mock_scheduler *sched);
void drm_mock_sched_use_virtual_clock(struct drm_mock_scheduler *sched);
u64 drm_mock_sched_virtual_now(struct drm_mock_scheduler *sched);
struct drm_mock_sched_job *
drm_mock_sched_retire_virtual(struct drm_mock_scheduler *sched);
void drm_mock_sched_settle(struct drm_mock_scheduler *sched);
u32 drm_mock_sched_credit_limit(struct drm_mock_scheduler *sched);
bool drm_mock_sched_wait_runs(struct drm_mock_scheduler *sched,
			      unsigned int count, long timeout);
bool drm_mock_sched_wait_frees(struct drm_mock_scheduler *sched,
			       unsigned int count, long timeout);
bool drm_mock_sched_wait_timeouts(struct drm_mock_scheduler *sched,
				  unsigned int count, long timeout);
void drm_mock_sched_set_timedout(struct drm_mock_scheduler *sched,
				 enum drm_gpu_sched_stat status, bool fail_hw,
				 drm_mock_timedout_hook_t hook, void *data);

/* Entities */
struct drm_mock_sched_entity *
drm_mock_sched_entity_new_multi(struct kunit *test,
				enum drm_sched_priority priority,
				struct drm_gpu_scheduler **list,
				unsigned int count, atomic_t *guilty);
struct drm_mock_sched_entity *
drm_mock_sched_entity_new(struct kunit *test, enum drm_sched_priority priority,
			  struct drm_mock_scheduler *sched);
void drm_mock_sched_entity_free(struct drm_mock_sched_entity *entity);

/* The sched_policy module parameter, for the rest of one test */
void drm_mock_sched_use_policy(struct kunit *test, int policy);

/* Suite fixtures */
struct drm_mock_sched_fixture *
drm_mock_sched_fixture_new(struct kunit *test,
			   const struct drm_mock_sched_params *params);
int drm_mock_sched_fixture_init(struct kunit *test);

/* Jobs */
struct drm_mock_sched_job *drm_mock_sched_job_alloc(struct kunit *test);
struct drm_mock_sched_job *
drm_mock_sched_job_new_credits(struct kunit *test,
			       struct drm_mock_sched_entity *entity,
			       u32 credits);
struct drm_mock_sched_job *
drm_mock_sched_job_new(struct kunit *test, struct drm_mock_sched_entity *entity);
void drm_mock_sched_job_arm(struct drm_mock_sched_job *job);
void drm_mock_sched_job_submit(struct drm_mock_sched_job *job);
void drm_mock_sched_job_push(struct drm_mock_sched_job *job);
void drm_mock_sched_job_cleanup(struct drm_mock_sched_job *job);
bool drm_mock_sched_job_wait_scheduled(struct drm_mock_sched_job *job,
				       long timeout);
bool drm_mock_sched_job_wait_finished(struct drm_mock_sched_job *job,
				      long timeout);
bool drm_mock_sched_job_wait_freed(struct drm_mock_sched_job *job,
				   long timeout);
bool drm_mock_sched_job_is_finished(struct drm_mock_sched_job *job);
bool drm_mock_sched_job_is_scheduled(struct drm_mock_sched_job *job);
int drm_mock_sched_job_error(struct drm_mock_sched_job *job);
bool drm_mock_sched_job_complete(struct drm_mock_sched_job *job, int error);
u64 drm_mock_sched_job_order(struct drm_mock_sched_job *job);
bool drm_mock_sched_job_hw_deadline(struct drm_mock_sched_job *job,
				    ktime_t *deadline);

/* Free-standing fences on timelines of their own */
struct drm_mock_timeline *drm_mock_timeline_new(struct kunit *test);
struct dma_fence *drm_mock_timeline_fence(struct drm_mock_timeline *tl,
					  u64 seqno);
void drm_mock_fence_signal(struct dma_fence *fence, int error);

/* Leak accounting */
int drm_mock_live_jobs(void);

#endif /* _DRM_SCHED_TESTS_H_ */
