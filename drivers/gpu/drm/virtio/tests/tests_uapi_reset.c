// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_reset, and its crosvm twin: devices reset,
 * and jobs timed out, with submissions in flight. Nothing may leak on the
 * host, and every fence handed to userspace must signal.
 */

#include <kunit/test.h>

#include "vgpu_uapi.h"

/*
 * A device reset with submissions on two rings and the global timeline
 * held by the host: every out-fence signals with an error, nothing hangs,
 * and the file's host context is marked for creation again.
 */
static void virtio_gpu_reset_fails_fences(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct dma_fence *out[3];
	struct vu_exec x;
	int i;

	vu_rings(u, f, 2, 0);
	vu_hold_ring(u, f, 0);
	vu_hold_ring(u, f, 1);
	vgpu_fake_host_hold(u->t->host, VGPU_FAKE_GLOBAL);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, 0, NULL, 0, &x), 0);
	out[0] = vu_fd_fence(u, x.out_fd);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, 1, NULL, 0, &x), 0);
	out[1] = vu_fd_fence(u, x.out_fd);
	vu_exec_init(&x);
	KUNIT_ASSERT_EQ(test, vu_submit(u, f, &x), 0);
	out[2] = vu_fd_fence(u, x.out_fd);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 3));

	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(u->t->vgdev), 0);
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_TRUE(test, vu_fence_wait(out[i]));
		KUNIT_EXPECT_LT(test, out[i]->error, 0);
	}
	KUNIT_EXPECT_NE(test, vu_fpriv(f)->created_generation,
			(u32)atomic_read(&u->t->vgdev->generation));
}

/*
 * A reset while a BO's creation fence is held: WAIT does not hang, the
 * object is idle afterwards.
 */
static void virtio_gpu_reset_leaves_bo_idle(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	u32 bo;

	vgpu_fake_host_hold(u->t->host, VGPU_FAKE_GLOBAL);
	bo = vu_bo(u, f);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, bo, VIRTGPU_WAIT_NOWAIT), -EBUSY);
	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(u->t->vgdev), 0);
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, bo, VIRTGPU_WAIT_NOWAIT), 0);
}

/*
 * A job the host never completes times out: the device is reset, the
 * job's out-fence signals with -ETIMEDOUT, and another file's job in
 * flight on a ring with the default timeout signals with an error too.
 */
static void virtio_gpu_timeout_resets_device(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f, *g;
	struct dma_fence *late, *other;
	struct vu_exec x;

	/* Only the first file's ring gets the short timeout. */
	g = vu_open(u);
	vu_rings(u, g, 1, 0);
	u->t->vgdev->job_timeout = HZ / 10;
	f = vu_open(u);
	vu_rings(u, f, 1, 0);
	u->t->vgdev->job_timeout = 10 * HZ;

	vu_hold_ring(u, g, 0);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, g, 0, NULL, 0, &x), 0);
	other = vu_fd_fence(u, x.out_fd);
	vu_hold_ring(u, f, 0);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, 0, NULL, 0, &x), 0);
	late = vu_fd_fence(u, x.out_fd);

	KUNIT_ASSERT_TRUE(test, vu_fence_wait(late));
	KUNIT_EXPECT_EQ(test, late->error, -ETIMEDOUT);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(other));
	KUNIT_EXPECT_LT(test, other->error, 0);
	KUNIT_EXPECT_GT(test, atomic_read(&u->t->vgdev->generation), 1);
}

/*
 * A host that stops serving the control queue altogether, with the queue
 * full: the run worker sleeps waiting for room, and the job on the ring
 * times out. The timeout handler must not wait for that sleeper forever:
 * the sleeper gives up, the device is reset, and every out-fence signals
 * with an error.
 */
static void virtio_gpu_timeout_with_wedged_full_queue(struct kunit *test)
{
	const unsigned int qsize = 8, njobs = qsize + 2;
	struct vgpu_fake_host_config cfg;
	struct dma_fence *out[10];
	struct vu_exec x;
	struct file *f;
	unsigned int i;
	struct vu *u;

	vgt_config(&cfg, VU_F_ALL);
	cfg.ctrl_queue_size = qsize;
	u = vu_create(test, &cfg);
	f = vu_open(u);
	vu_rings(u, f, 1, 0);

	vgpu_fake_host_hold_queue(u->t->host);
	for (i = 0; i < njobs; i++) {
		KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, 0, NULL, 0, &x), 0);
		out[i] = vu_fd_fence(u, x.out_fd);
	}
	/*
	 * The timeout runs once the run worker sleeps on the full queue, not
	 * on a timer that a slow CPU could let expire in the middle of the
	 * submissions above.
	 */
	KUNIT_ASSERT_TRUE(test, vgt_wait_blocked(u->t));
	drm_sched_fault(&vu_fpriv(f)->rings[0].sched);
	for (i = 0; i < njobs; i++) {
		KUNIT_ASSERT_TRUE(test, vu_fence_wait(out[i]));
		KUNIT_EXPECT_LT(test, out[i]->error, 0);
	}
	KUNIT_EXPECT_GT(test, atomic_read(&u->t->vgdev->generation), 1);
	vgpu_fake_host_release_queue(u->t->host);
}

/*
 * A reset with a job still waiting for its in-fence: the job was written
 * for the host context the reset lost, so once the fence signals the job
 * is cancelled (-ECANCELED), never sent to the host; nothing hangs.
 */
static void virtio_gpu_reset_cancels_queued_job(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct dma_fence *in = vu_foreign_fence(u);
	struct dma_fence *out = vu_blocked_job(u, f, in);

	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(u->t->vgdev), 0);
	dma_fence_signal(in);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, -ECANCELED);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 0);
}

/* What the fake saw when the driver asked for new virtqueues. */
struct z_at_find_vqs {
	struct dma_fence *job;		/* the out-fence of the job that hangs */
	struct virtio_gpu_fence *global; /* held by the host on the global timeline */
	unsigned int calls;
	bool job_signalled;
	bool global_signalled;
};

static void z_note_fences(void *data)
{
	struct z_at_find_vqs *at = data;

	at->calls++;
	at->job_signalled = dma_fence_is_signaled(at->job);
	at->global_signalled = vgt_signalled(at->global);
}

/*
 * A job times out: by the time the reset allocates the new virtqueues,
 * the job's out-fence and a fence the host held on another timeline have
 * signalled already, so no fence waits on that allocation.
 */
static void virtio_gpu_timeout_ends_fences_before_new_queues(struct kunit *test)
{
	struct z_at_find_vqs *at = kunit_kzalloc(test, sizeof(*at), GFP_KERNEL);
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vu_exec x;

	KUNIT_ASSERT_NOT_NULL(test, at);
	vu_rings(u, f, 1, 0);
	vu_hold_ring(u, f, 0);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, 0, NULL, 0, &x), 0);
	at->job = vu_fd_fence(u, x.out_fd);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	vgpu_fake_host_hold(u->t->host, VGPU_FAKE_GLOBAL);
	at->global = vgt_fence(u->t, 0, 0);
	vgt_submit(u->t, vu_ctx_id(f), at->global);
	vgpu_fake_host_on(u->t->host, VGPU_FAKE_ON_FIND_VQS, z_note_fences, at);
	/* Everything is in place: the job times out now. */
	drm_sched_fault(&vu_fpriv(f)->rings[0].sched);

	KUNIT_ASSERT_TRUE(test, vu_fence_wait(at->job));
	flush_work(&u->t->vgdev->reset_work);
	vgpu_fake_host_on(u->t->host, VGPU_FAKE_ON_FIND_VQS, NULL, NULL);
	KUNIT_ASSERT_EQ(test, at->calls, 1);
	KUNIT_EXPECT_TRUE(test, at->job_signalled);
	KUNIT_EXPECT_TRUE(test, at->global_signalled);
	KUNIT_EXPECT_EQ(test, at->job->error, -ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, at->global->base.error, -ENODEV);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_live_vqs(u->t->host), 2);
	vgt_release(u->t, VGPU_FAKE_GLOBAL);
}

static int z_transfer(struct vu *u, struct file *f, u32 bo)
{
	struct drm_virtgpu_3d_transfer_to_host t = {
		.bo_handle = bo,
		.box = { .w = 1, .h = 1, .d = 1 },
	};

	return vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &t);
}

/*
 * A reset loses the host resources: a BO made before it fails with -EIO
 * in a transfer and in an EXECBUFFER's BO list, closing it sends no
 * RESOURCE_UNREF for a resource the host no longer has, and a BO made
 * after the reset works.
 */
static void virtio_gpu_reset_loses_bos(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_gem_close close = {};
	u32 old, fresh, unrefs;
	struct vu_exec x;

	old = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, z_transfer(u, f, old), 0);
	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(u->t->vgdev), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(u->t->host), 0);

	KUNIT_EXPECT_EQ(test, z_transfer(u, f, old), -EIO);
	vu_exec_init(&x);
	x.bos = &old;
	x.num_bos = 1;
	KUNIT_EXPECT_EQ(test, vu_submit(u, f, &x), -EIO);

	fresh = vu_bo(u, f);
	KUNIT_EXPECT_EQ(test, z_transfer(u, f, fresh), 0);
	x.bos = &fresh;
	KUNIT_EXPECT_EQ(test, vu_submit(u, f, &x), 0);

	unrefs = vu_count(u, VIRTIO_GPU_CMD_RESOURCE_UNREF);
	close.handle = old;
	KUNIT_EXPECT_EQ(test, vu_ioctl(u, f, DRM_IOCTL_GEM_CLOSE, &close), 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_RESOURCE_UNREF), unrefs);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(u->t->host), 1);
}

/* A BO whose last reference goes while the device is being reset. */
struct z_unref_in_reset {
	struct virtio_gpu_device *vgdev;
	struct drm_gem_object *obj;
	u32 res_id;
	bool id_free_at_reset;
};

static bool z_res_id_free(struct virtio_gpu_device *vgdev, u32 id)
{
	int ret = ida_alloc_range(&vgdev->resource_ida, id, id, GFP_KERNEL);

	if (ret < 0)
		return false;
	ida_free(&vgdev->resource_ida, ret);
	return true;
}

static void z_drop_bo(void *data)
{
	struct z_unref_in_reset *z = data;

	if (!z->obj)
		return;
	drm_gem_object_put(z->obj);
	z->obj = NULL;
	z->id_free_at_reset = z_res_id_free(z->vgdev, z->res_id);
}

/*
 * A BO freed while the reset has marked the queues dead but not yet reset
 * the device: its RESOURCE_UNREF is refused, and its pages and id are
 * released only once the device is reset, when the host can no longer
 * use them.
 */
static void virtio_gpu_reset_unref_waits_for_halt(struct kunit *test)
{
	struct z_unref_in_reset *z = kunit_kzalloc(test, sizeof(*z), GFP_KERNEL);
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_gem_close close = {};

	KUNIT_ASSERT_NOT_NULL(test, z);
	z->vgdev = u->t->vgdev;
	close.handle = vu_bo(u, f);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	z->obj = drm_gem_object_lookup(f->private_data, close.handle);
	KUNIT_ASSERT_NOT_NULL(test, z->obj);
	z->res_id = to_virtio_gpu_obj(z->obj)->hw_res_handle;
	KUNIT_ASSERT_EQ(test, vu_ioctl(u, f, DRM_IOCTL_GEM_CLOSE, &close), 0);

	vgpu_fake_host_on(u->t->host, VGPU_FAKE_ON_RESET, z_drop_bo, z);
	KUNIT_ASSERT_EQ(test, virtio_gpu_device_reset(u->t->vgdev), 0);
	KUNIT_ASSERT_NULL(test, z->obj);
	KUNIT_EXPECT_FALSE(test, z->id_free_at_reset);
	KUNIT_EXPECT_TRUE(test, z_res_id_free(u->t->vgdev, z->res_id));
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_RESOURCE_UNREF), 0);
}

static struct kunit_case z_cases[] = {
	KUNIT_CASE(virtio_gpu_reset_fails_fences),
	KUNIT_CASE(virtio_gpu_reset_leaves_bo_idle),
	KUNIT_CASE_SLOW(virtio_gpu_timeout_resets_device),
	KUNIT_CASE(virtio_gpu_timeout_with_wedged_full_queue),
	KUNIT_CASE(virtio_gpu_reset_cancels_queued_job),
	KUNIT_CASE(virtio_gpu_timeout_ends_fences_before_new_queues),
	KUNIT_CASE(virtio_gpu_reset_loses_bos),
	KUNIT_CASE(virtio_gpu_reset_unref_waits_for_halt),
	{}
};

VGPU_FAKE_SUITES(z_suite, "virtio_gpu_uapi_reset", z_cases);
