// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_close, and its crosvm twin: files closed
 * with submissions in flight. Nothing may leak on the host, and every
 * fence handed to userspace must signal.
 */

#include <kunit/test.h>

#include "vgpu_uapi.h"

struct c_closer {
	struct vu *u;
	struct file *f;
};

static int c_close_fn(struct vgt_thread *th)
{
	struct c_closer *c = th->data;

	vu_close(c->u, c->f);
	return 0;
}

/* Starts closing @f in a thread; the close may wait for the host. */
static struct vgt_thread *c_close_async(struct vu *u, struct file *f)
{
	struct c_closer *c = kunit_kzalloc(u->test, sizeof(*c), GFP_KERNEL);
	struct vgt_thread *th;

	KUNIT_ASSERT_NOT_NULL(u->test, c);
	c->u = u;
	c->f = f;
	th = vgt_thread_create(u->t, c_close_fn, c);
	vgt_thread_start(th);
	return th;
}

/*
 * A file closed while the host still executes its job on a ring: the
 * host may still write the job's buffers, so the close waits, and the
 * job's out-fence, held by userspace, does not signal until the host
 * completed the job; then it signals without error, the context is
 * destroyed on the host and both BOs are unreferenced.
 */
static void virtio_gpu_close_waits_for_host_job(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vgt_thread *th;
	struct dma_fence *out;
	struct vu_exec x;
	u32 ctx, bos[2];

	vu_rings(u, f, 2, 1);
	ctx = vu_ctx_id(f);
	bos[0] = vu_bo(u, f);
	bos[1] = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, vu_wait(u, f, bos[1], 0), 0);
	vu_hold_ring(u, f, 0);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, 0, bos, 2, &x), 0);
	out = vu_fd_fence(u, x.out_fd);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_num_resources(u->t->host), 2);

	th = c_close_async(u, f);
	/* A second in which the host does nothing: nothing may end. */
	KUNIT_EXPECT_EQ(test, wait_for_completion_timeout(&th->done, HZ), 0);
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out));
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_CTX_DESTROY), 0);

	vgt_release(u->t, VGPU_FAKE_RING(ctx, 0));
	KUNIT_ASSERT_TRUE(test, vgt_thread_wait(th));
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_wait_cmds(u->t->host,
							 VIRTIO_GPU_CMD_RESOURCE_UNREF, 2));
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_CTX_DESTROY), 1);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(u->t->host), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(u->t->host), 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_RESOURCE_UNREF), 2);
}

/*
 * A file closed while a host that never answers holds its ring: the close
 * waits for the job, and a timeout during that wait (forced here once the
 * close sleeps) still resets the device and restarts the ring, which is
 * torn down only then. The out-fence signals with -ETIMEDOUT, and the
 * close returns.
 */
static void virtio_gpu_close_hung_host_resets_device(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_gpu_scheduler *sched;
	struct vgt_thread *th;
	struct dma_fence *out;
	struct vu_exec x;

	vu_rings(u, f, 1, 0);
	sched = &vu_fpriv(f)->rings[0].sched;
	vu_hold_ring(u, f, 0);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, 0, NULL, 0, &x), 0);
	out = vu_fd_fence(u, x.out_fd);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));

	th = c_close_async(u, f);
	KUNIT_ASSERT_TRUE(test, vgt_thread_wait_asleep(th));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out));
	drm_sched_fault(sched);
	KUNIT_ASSERT_TRUE(test, vgt_thread_wait(th));
	KUNIT_ASSERT_TRUE(test, dma_fence_is_signaled(out));
	KUNIT_EXPECT_EQ(test, out->error, -ETIMEDOUT);
	KUNIT_EXPECT_GT(test, atomic_read(&u->t->vgdev->generation), 1);
}

/* A file that never needed a host context closes without CTX_DESTROY. */
static void virtio_gpu_close_without_context_sends_no_destroy(struct kunit *test)
{
	struct vu *u = vu_create_features(test, VU_F_2D);
	struct file *f = vu_open(u);

	vu_bo(u, f);
	vu_close(u, f);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_wait_cmds(u->t->host,
							 VIRTIO_GPU_CMD_RESOURCE_UNREF, 1));
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_CTX_DESTROY), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(u->t->host), 0);
}

/*
 * A file closed with a job that is not runnable yet (its in-fence has not
 * signalled): the close does not hang and the context goes away. The job
 * is killed, not run: once its in-fence signals (the scheduler keeps the
 * order of dependencies even for killed jobs), its out-fence signals with
 * an error and the host never sees its SUBMIT_3D.
 */
static void virtio_gpu_close_kills_blocked_job(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct dma_fence *in = vu_foreign_fence(u);
	struct dma_fence *out = vu_blocked_job(u, f, in);

	vu_close(u, f);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_CTX_DESTROY), 1);
	dma_fence_signal(in);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out));
	KUNIT_EXPECT_LT(test, out->error, 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_CTX_DESTROY), 1);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(u->t->host), 0);
}

/*
 * Closing one file leaves another alone: the other file's job in flight
 * still completes normally and its context stays.
 */
static void virtio_gpu_close_leaves_other_file_alone(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u), *g = vu_open(u);
	struct dma_fence *out;
	struct vu_exec x;

	vu_rings(u, f, 1, 0);
	vu_rings(u, g, 1, 0);
	vu_hold_ring(u, g, 0);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, g, 0, NULL, 0, &x), 0);
	out = vu_fd_fence(u, x.out_fd);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	vu_close(u, f);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_wait_cmds(u->t->host, VIRTIO_GPU_CMD_CTX_DESTROY,
							 1));
	KUNIT_EXPECT_FALSE(test, dma_fence_is_signaled(out));
	vu_complete_ring(u, g, 0, vu_ring_last(u, g, 0));
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_get_ctx(u->t->host, vu_ctx_id(g), NULL));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(u->t->host), 1);
}

/* Closing a file with many BOs unrefs every one of them on the host. */
static void virtio_gpu_close_unrefs_every_bo(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	unsigned int i;

	for (i = 0; i < 8; i++)
		vu_bo(u, f);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_num_resources(u->t->host), 8);
	vu_close(u, f);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_wait_cmds(u->t->host,
							 VIRTIO_GPU_CMD_RESOURCE_UNREF, 8));
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(u->t->host), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(u->t->host), 0);
}

/*
 * Unbind with a file open and a job in flight, then bind again: as with
 * the base driver the DRM device hangs off the bus device, not the virtio
 * device; the unbind ends the job's fence with an error, the old file
 * gets -ENODEV and is closed later, which drops the last reference the
 * driver held on the old device, and the device bound anew works.
 */
static void virtio_gpu_close_unbind_rebind_with_files_open(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct virtio_device *vdev = u->t->vdev;
	struct file *f = vu_open(u);
	struct drm_device *old = &u->t->vgdev->ddev;
	struct dma_fence *out;
	struct vu_exec x;
	struct vu *again;
	struct file *g;
	u32 bo;

	KUNIT_EXPECT_PTR_EQ(test, old->dev, vdev->dev.parent);
	vu_rings(u, f, 1, 0);
	vu_hold_ring(u, f, 0);
	KUNIT_ASSERT_EQ(test, vu_ring_job(u, f, 0, NULL, 0, &x), 0);
	out = vu_fd_fence(u, x.out_fd);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));

	vgt_unbind(u->t);
	/* The fake keeps holds across binds; the new device's context reuses id 1. */
	vgpu_fake_host_release_all(u->t->host);
	KUNIT_ASSERT_TRUE(test, dma_fence_is_signaled(out));
	KUNIT_EXPECT_EQ(test, out->error, -ENODEV);
	vu_exec_init(&x);
	KUNIT_EXPECT_EQ(test, vu_submit(u, f, &x), -ENODEV);

	KUNIT_ASSERT_GE(test, device_attach(&vdev->dev), 0);
	again = kunit_kzalloc(test, sizeof(*again), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, again);
	*again = *u;
	again->t = vgt_bind(test, u->t->host);
	KUNIT_ASSERT_TRUE(test, again->t->vgdev != u->t->vgdev);
	KUNIT_EXPECT_PTR_EQ(test, again->t->vgdev->ddev.dev, vdev->dev.parent);

	/* The late close: only the test's own reference is left after it. */
	vu_close(u, f);
	KUNIT_EXPECT_EQ(test, kref_read(&old->ref), 1);

	g = vu_open(again);
	vu_rings(again, g, 1, 0);
	bo = vu_bo(again, g);
	KUNIT_EXPECT_EQ(test, vu_wait(again, g, bo, 0), 0);
	KUNIT_ASSERT_EQ(test, vu_ring_job(again, g, 0, NULL, 0, &x), 0);
	out = vu_fd_fence(again, x.out_fd);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
}

static struct kunit_case c_cases[] = {
	KUNIT_CASE_SLOW(virtio_gpu_close_waits_for_host_job),
	KUNIT_CASE(virtio_gpu_close_hung_host_resets_device),
	KUNIT_CASE(virtio_gpu_close_without_context_sends_no_destroy),
	KUNIT_CASE_SLOW(virtio_gpu_close_kills_blocked_job),
	KUNIT_CASE(virtio_gpu_close_leaves_other_file_alone),
	KUNIT_CASE(virtio_gpu_close_unrefs_every_bo),
	KUNIT_CASE(virtio_gpu_close_unbind_rebind_with_files_open),
	{}
};

VGPU_FAKE_SUITES(c_suite, "virtio_gpu_uapi_close", c_cases);
