// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Helpers shared by the virtio-gpu KUnit suites.
 *
 * Every object a helper creates is released by a deferred action registered
 * right after its creation, so tests never tear down by hand and a failed
 * assertion leaks nothing. The driver's &struct virtio_gpu_device is kept
 * referenced until the end of the test, so a test may unbind the driver and
 * still look at what it left behind.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/sched/task.h>
#include <linux/wait.h>

#include <drm/drm_drv.h>

#include "vgpu_test.h"

static const u8 vgt_virgl_caps[32] = { 0x01, 0x76, 0x67, 0x6c };
static const u8 vgt_virgl2_caps[64] = { 0x02, 0x76, 0x67, 0x32, [63] = 0xee };
static const u8 vgt_gfxstream_caps[16] = { 0x03, 0x67, 0x66, 0x78 };
static const u8 vgt_venus_caps[24] = { 0x04, 0x76, 0x6e, 0x73, [23] = 0x44 };

/**
 * vgt_config - a fake host configuration with the four usual capsets
 * @cfg: filled in; owned by the caller
 * @features: VGPU_FAKE_F_* masks offered besides nothing else
 *
 * One scanout, the default control queue, capsets VIRGL (v1, 32 bytes),
 * VIRGL2 (v2, 64 bytes), gfxstream (v1, 16 bytes) and VENUS (v0, 24 bytes)
 * with recognisable data.
 */
void vgt_config(struct vgpu_fake_host_config *cfg, u64 features)
{
	static const struct vgpu_fake_capset caps[] = {
		{ VIRTIO_GPU_CAPSET_VIRGL, 1, sizeof(vgt_virgl_caps),
		  vgt_virgl_caps, sizeof(vgt_virgl_caps) },
		{ VIRTIO_GPU_CAPSET_VIRGL2, 2, sizeof(vgt_virgl2_caps),
		  vgt_virgl2_caps, sizeof(vgt_virgl2_caps) },
		{ VGT_CAPSET_GFXSTREAM, 1, sizeof(vgt_gfxstream_caps),
		  vgt_gfxstream_caps, sizeof(vgt_gfxstream_caps) },
		{ VIRTIO_GPU_CAPSET_VENUS, 0, sizeof(vgt_venus_caps),
		  vgt_venus_caps, sizeof(vgt_venus_caps) },
	};
	unsigned int i;

	vgpu_fake_host_default_config(cfg);
	cfg->features = features;
	cfg->num_capsets = ARRAY_SIZE(caps);
	for (i = 0; i < ARRAY_SIZE(caps); i++)
		cfg->capsets[i] = caps[i];
}

/**
 * vgt_config_3d - vgt_config() with %VGT_FEATURES_3D
 * @cfg: filled in; owned by the caller
 */
void vgt_config_3d(struct vgpu_fake_host_config *cfg)
{
	vgt_config(cfg, VGT_FEATURES_3D);
}

KUNIT_DEFINE_ACTION_WRAPPER(vgt_drm_put, drm_dev_put, struct drm_device *);

/**
 * vgt_bind - wrap a fake device the driver is bound to
 * @test: the test
 * @host: the fake device, registered
 *
 * Fails the test unless the driver bound. Takes a reference on the DRM
 * device, dropped by an action, so the driver's structure outlives an
 * unbind within the test.
 *
 * Return: the wrapper, owned by @test.
 */
struct vgt *vgt_bind(struct kunit *test, struct vgpu_fake_host *host)
{
	struct drm_device *ddev;
	struct vgt *t;

	KUNIT_ASSERT_TRUE_MSG(test, vgpu_fake_host_bound(host),
			      "the driver did not bind to the fake device");
	ddev = vgpu_fake_host_drm(host);
	KUNIT_ASSERT_NOT_NULL(test, ddev);
	drm_dev_get(ddev);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vgt_drm_put, ddev), 0);

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	t->host = host;
	t->vdev = vgpu_fake_host_vdev(host);
	t->vgdev = to_virtio_gpu(ddev);
	return t;
}

/**
 * vgt_create - create a fake device and bind the driver to it
 * @test: the test
 * @cfg: the device's configuration
 *
 * Return: the wrapper, owned by @test; the test fails unless the driver
 * bound.
 */
struct vgt *vgt_create(struct kunit *test,
		       const struct vgpu_fake_host_config *cfg)
{
	return vgt_bind(test, vgpu_fake_host_create(test, cfg));
}

/**
 * vgt_create_3d - vgt_create() with vgt_config_3d()
 * @test: the test
 *
 * Return: the wrapper, owned by @test.
 */
struct vgt *vgt_create_3d(struct kunit *test)
{
	struct vgpu_fake_host_config cfg;

	vgt_config_3d(&cfg);
	return vgt_create(test, &cfg);
}

struct vgt_rings_ref {
	struct virtio_gpu_device *vgdev;
	u32 ctx_id;
};

static void vgt_rings_destroy(void *data)
{
	struct vgt_rings_ref *ref = data;

	virtio_gpu_rings_destroy(ref->vgdev, ref->ctx_id);
}

/**
 * vgt_rings - give a context ring timelines, destroyed at the end
 * @t: the device
 * @ctx_id: the context
 * @num_rings: how many rings
 *
 * Fails the test when virtio_gpu_rings_create() fails.
 */
void vgt_rings(struct vgt *t, u32 ctx_id, u32 num_rings)
{
	struct vgt_rings_ref *ref;

	ref = kunit_kzalloc(t->test, sizeof(*ref), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(t->test, ref);
	ref->vgdev = t->vgdev;
	ref->ctx_id = ctx_id;
	KUNIT_ASSERT_EQ(t->test, virtio_gpu_rings_create(t->vgdev, ctx_id, num_rings), 0);
	KUNIT_ASSERT_EQ(t->test,
			kunit_add_action_or_reset(t->test, vgt_rings_destroy, ref), 0);
}

/**
 * vgt_context - create a host context and its ring timelines
 * @t: the device
 * @ctx_id: the context id
 * @capset_id: capset for context init, 0 for none
 * @num_rings: ring timelines to create, 0 for none
 *
 * Waits until the host created the context; fails the test otherwise.
 */
void vgt_context(struct vgt *t, u32 ctx_id, u32 capset_id, u32 num_rings)
{
	KUNIT_ASSERT_EQ(t->test, virtio_gpu_cmd_ctx_create(t->vgdev, ctx_id, capset_id,
							   "vgt", NULL), 0);
	KUNIT_ASSERT_TRUE(t->test, vgt_settle(t));
	KUNIT_ASSERT_TRUE_MSG(t->test, vgpu_fake_host_get_ctx(t->host, ctx_id, NULL),
			      "the host did not create context %u", ctx_id);
	if (num_rings)
		vgt_rings(t, ctx_id, num_rings);
}

KUNIT_DEFINE_ACTION_WRAPPER(vgt_fence_put, virtio_gpu_fence_put,
			    struct virtio_gpu_fence *);

/**
 * vgt_fence - allocate a fence the test holds until its end
 * @t: the device
 * @ctx_id: context, 0 for the global timeline
 * @ring_idx: ring of @ctx_id
 *
 * Return: the fence; the test fails if allocation fails.
 */
struct virtio_gpu_fence *vgt_fence(struct vgt *t, u32 ctx_id, u32 ring_idx)
{
	struct virtio_gpu_fence *fence;

	fence = virtio_gpu_fence_alloc(t->vgdev, ctx_id, ring_idx);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(t->test, fence);
	KUNIT_ASSERT_EQ(t->test,
			kunit_add_action_or_reset(t->test, vgt_fence_put, fence), 0);
	return fence;
}

static const __le32 vgt_stream[4] = {
	cpu_to_le32(0x0001), cpu_to_le32(0x0002),
	cpu_to_le32(0x0003), cpu_to_le32(0x0004),
};

/**
 * vgt_submit - submit a small command stream, optionally fenced
 * @t: the device
 * @ctx_id: the context
 * @fence: fence to emit, or NULL
 *
 * Return: the fence id given to @fence, 0 without a fence. Fails the test
 * when the submission fails.
 */
u64 vgt_submit(struct vgt *t, u32 ctx_id, struct virtio_gpu_fence *fence)
{
	KUNIT_ASSERT_EQ(t->test, virtio_gpu_cmd_submit_3d(t->vgdev, ctx_id, vgt_stream,
							  sizeof(vgt_stream), fence), 0);
	return fence ? fence->base.seqno : 0;
}

KUNIT_DEFINE_ACTION_WRAPPER(vgt_vbuf_put, virtio_gpu_vbuf_put,
			    struct virtio_gpu_vbuf *);

/**
 * vgt_vbuf - allocate a command buffer released at the end of the test
 * @test: the test
 * @cmd_size: command size
 * @resp_size: response size
 *
 * Return: the buffer with the test's reference; the test fails if the
 * allocation fails.
 */
struct virtio_gpu_vbuf *vgt_vbuf(struct kunit *test, u32 cmd_size, u32 resp_size)
{
	struct virtio_gpu_vbuf *vbuf = virtio_gpu_vbuf_alloc(cmd_size, resp_size);

	KUNIT_ASSERT_NOT_NULL(test, vbuf);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vgt_vbuf_put, vbuf), 0);
	return vbuf;
}

/**
 * vgt_vbuf_submit - queue an empty SUBMIT_3D whose buffer the test keeps
 * @t: the device
 * @ctx_id: the context
 * @fence: fence to emit, or NULL; the buffer takes its own reference
 *
 * The device is notified. Wait for the answer with virtio_gpu_wait_vbuf()
 * and read the response from the buffer.
 *
 * Return: the buffer, released at the end of the test.
 */
struct virtio_gpu_vbuf *vgt_vbuf_submit(struct vgt *t, u32 ctx_id,
					struct virtio_gpu_fence *fence)
{
	struct virtio_gpu_cmd_submit *cmd;
	struct virtio_gpu_vbuf *vbuf;

	vbuf = vgt_vbuf(t->test, sizeof(*cmd), sizeof(struct virtio_gpu_ctrl_hdr));
	cmd = vbuf->cmd;
	cmd->hdr.type = cpu_to_le32(VIRTIO_GPU_CMD_SUBMIT_3D);
	cmd->hdr.ctx_id = cpu_to_le32(ctx_id);
	if (fence) {
		dma_fence_get(&fence->base);
		vbuf->fence = fence;
	}
	KUNIT_ASSERT_EQ(t->test, virtio_gpu_queue_ctrl(t->vgdev, vbuf), 0);
	virtio_gpu_notify(t->vgdev);
	return vbuf;
}

/**
 * vgt_set_last_id - move the device-wide fence id counter
 * @t: the device
 * @last_id: the id the next emitted fence follows
 */
void vgt_set_last_id(struct vgt *t, u64 last_id)
{
	spin_lock_irq(&t->vgdev->ctrlq.lock);
	t->vgdev->fence_drv.last_id = last_id;
	spin_unlock_irq(&t->vgdev->ctrlq.lock);
}

/**
 * vgt_settle - let the host answer what it can and the driver process it
 * @t: the device
 *
 * Return: false when the host did not catch up in time.
 */
bool vgt_settle(struct vgt *t)
{
	bool ok = vgpu_fake_host_sync(t->host);

	flush_work(&t->vgdev->ctrlq.dequeue);
	return ok;
}

/**
 * vgt_complete - complete a held host timeline and process the answers
 * @t: the device
 * @tl: the host timeline
 * @id: last fence id to complete
 *
 * Return: the number of responses the host returned.
 */
unsigned int vgt_complete(struct vgt *t, struct vgpu_fake_tl tl, u64 id)
{
	unsigned int n = vgpu_fake_host_complete(t->host, tl, id);

	flush_work(&t->vgdev->ctrlq.dequeue);
	return n;
}

/**
 * vgt_release - stop holding a host timeline and process the answers
 * @t: the device
 * @tl: the host timeline
 *
 * Return: the number of responses the host returned.
 */
unsigned int vgt_release(struct vgt *t, struct vgpu_fake_tl tl)
{
	unsigned int n = vgpu_fake_host_release(t->host, tl);

	flush_work(&t->vgdev->ctrlq.dequeue);
	return n;
}

/**
 * vgt_unbind - remove the driver from the device, as on hot unplug
 * @t: the device; @t->vgdev stays readable
 */
void vgt_unbind(struct vgt *t)
{
	device_release_driver(&t->vdev->dev);
}

static void vgt_sig_cb(struct dma_fence *f, struct dma_fence_cb *cb)
{
	struct vgt_sig *sig = container_of(cb, struct vgt_sig, cb);

	sig->calls++;
	sig->error = f->error;
	sig->rank = atomic_inc_return(sig->order);
}

struct vgt_watch_ref {
	struct dma_fence *fence;
	struct vgt_sig *sig;
};

static void vgt_unwatch(void *data)
{
	struct vgt_watch_ref *ref = data;

	dma_fence_remove_callback(ref->fence, &ref->sig->cb);
}

/**
 * vgt_watch - record when and how a fence signals
 * @test: the test
 * @fence: an unsignalled fence
 * @sig: where to record, allocated with kunit_kzalloc()
 * @order: counter shared by the fences whose order matters, allocated with
 *	kunit_kzalloc()
 *
 * The callback is removed by an action, before @sig is freed.
 */
void vgt_watch(struct kunit *test, struct virtio_gpu_fence *fence,
	       struct vgt_sig *sig, atomic_t *order)
{
	struct vgt_watch_ref *ref;

	ref = kunit_kzalloc(test, sizeof(*ref), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ref);
	ref->fence = &fence->base;
	ref->sig = sig;
	sig->order = order;
	KUNIT_ASSERT_EQ(test, dma_fence_add_callback(&fence->base, &sig->cb, vgt_sig_cb), 0);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vgt_unwatch, ref), 0);
}

static int vgt_thread_main(void *data)
{
	struct vgt_thread *th = data;

	wait_for_completion(&th->go);
	if (!READ_ONCE(th->abort))
		th->ret = th->fn(th);
	/* For good: vgt_thread_wait() and the final stop both see it. */
	complete_all(&th->done);

	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static void vgt_thread_stop(void *data)
{
	struct vgt_thread *th = data;

	if (!th->started) {
		WRITE_ONCE(th->abort, true);
		complete(&th->go);
	} else if (!wait_for_completion_timeout(&th->done, VGT_TIMEOUT)) {
		/* Stuck on the device: taking the driver away wakes it. */
		device_release_driver(&th->t->vdev->dev);
		if (!wait_for_completion_timeout(&th->done, VGT_TIMEOUT)) {
			pr_err("vgt: thread %s is stuck, leaking it\n", th->task->comm);
			return;
		}
	}
	kthread_stop(th->task);
	put_task_struct(th->task);
}

/**
 * vgt_thread_create - create a thread that runs @fn once started
 * @t: the device
 * @fn: the work, run in the thread
 * @data: for @fn
 *
 * The thread waits for vgt_thread_start(). An action stops it; a thread
 * still stuck on the device then is freed by unbinding the driver.
 *
 * Return: the thread, owned by the test.
 */
struct vgt_thread *vgt_thread_create(struct vgt *t,
				     int (*fn)(struct vgt_thread *th),
				     void *data)
{
	struct vgt_thread *th;
	struct task_struct *task;

	th = kunit_kzalloc(t->test, sizeof(*th), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(t->test, th);
	th->t = t;
	th->fn = fn;
	th->data = data;
	init_completion(&th->go);
	init_completion(&th->done);
	atomic_set(&th->progress, 0);

	task = kthread_create(vgt_thread_main, th, "vgt-worker");
	KUNIT_ASSERT_FALSE(t->test, IS_ERR(task));
	get_task_struct(task);
	th->task = task;
	wake_up_process(task);
	KUNIT_ASSERT_EQ(t->test, kunit_add_action_or_reset(t->test, vgt_thread_stop, th), 0);
	return th;
}

/**
 * vgt_thread_start - open the gate of a thread
 * @th: the thread
 */
void vgt_thread_start(struct vgt_thread *th)
{
	th->started = true;
	complete(&th->go);
}

/**
 * vgt_thread_wait - wait for a started thread to finish its work
 * @th: the thread
 *
 * Return: false on timeout.
 */
bool vgt_thread_wait(struct vgt_thread *th)
{
	return wait_for_completion_timeout(&th->done, VGT_TIMEOUT) > 0;
}

/**
 * vgt_thread_wait_asleep - wait until a started thread sleeps, unfinished
 * @th: the thread
 *
 * Polls, a jiffy at a time, for @th in an uninterruptible sleep (a
 * dma_fence_wait(), flush_work() or mutex) before it finished its work.
 *
 * Return: false when @th finished, or did not go to sleep in time.
 */
bool vgt_thread_wait_asleep(struct vgt_thread *th)
{
	unsigned long end = jiffies + VGT_TIMEOUT;

	while (!(READ_ONCE(th->task->__state) & TASK_UNINTERRUPTIBLE)) {
		if (completion_done(&th->done) || time_after(jiffies, end))
			return false;
		schedule_timeout_uninterruptible(1);
	}
	return !completion_done(&th->done);
}

/**
 * vgt_wait_blocked - wait until a submitter sleeps on a full control queue
 * @t: the device
 *
 * Polls, a jiffy at a time, for a sleeper on &virtio_gpu_queue.space.
 *
 * Return: false when nobody went to sleep in time.
 */
bool vgt_wait_blocked(struct vgt *t)
{
	unsigned long end = jiffies + VGT_TIMEOUT;

	/* Only a hint, polled: a sleeper that is not seen yet is seen later. */
	while (!waitqueue_active(&t->vgdev->ctrlq.space)) {
		if (time_after(jiffies, end))
			return false;
		schedule_timeout_uninterruptible(1);
	}
	return true;
}
