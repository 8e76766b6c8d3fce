// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_implicit: implicit synchronisation of jobs
 * through the BOs they share, within a file, across files and through
 * PRIME.
 */

#include <kunit/test.h>

#include <drm/drm.h>

#include "vgpu_uapi.h"

static int i_job(struct vu *u, struct file *f, bool ring, u32 ring_idx, const u32 *bos,
		 u32 n, struct vu_exec *x)
{
	vu_exec_init(x);
	if (ring) {
		x->flags |= VIRTGPU_EXECBUF_RING_IDX;
		x->ring_idx = ring_idx;
	}
	x->bos = bos;
	x->num_bos = n;
	return vu_submit(u, f, x);
}

/*
 * Two rings of one file share a BO: the reader on ring 1 reaches the host
 * only after the writer on ring 0 completed.
 */
static void virtio_gpu_implicit_rings_share_bo(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct dma_fence *w, *r;
	struct vu_exec x;
	u32 bo;

	vu_rings(u, f, 2, 0);
	bo = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, vu_wait(u, f, bo, 0), 0);
	vu_hold_ring(u, f, 0);
	KUNIT_ASSERT_EQ(test, i_job(u, f, true, 0, &bo, 1, &x), 0);
	w = vu_out_fence(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_ASSERT_EQ(test, i_job(u, f, true, 1, &bo, 1, &x), 0);
	r = vu_out_fence(u, &x);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 1);

	vu_complete_ring(u, f, 0, vu_ring_last(u, f, 0));
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(w));
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(r));
}

/* Without a shared BO the same two jobs do not wait for each other. */
static void virtio_gpu_implicit_no_shared_bo_no_wait(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vu_exec x;
	u32 a, b;

	vu_rings(u, f, 2, 0);
	a = vu_bo(u, f);
	b = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, vu_wait(u, f, a, 0), 0);
	KUNIT_ASSERT_EQ(test, vu_wait(u, f, b, 0), 0);
	vu_hold_ring(u, f, 0);
	KUNIT_ASSERT_EQ(test, i_job(u, f, true, 0, &a, 1, &x), 0);
	KUNIT_ASSERT_EQ(test, i_job(u, f, true, 1, &b, 1, &x), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(vu_out_fence(u, &x)));
}

/*
 * A BO shared with another file through PRIME: the other file's reader
 * reaches the host only after the writer completed.
 */
static void virtio_gpu_implicit_prime_share(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *a = vu_open(u), *b = vu_open(u);
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct dma_fence *r;
	struct vu_exec x;
	u32 bo;

	vu_rings(u, a, 1, 0);
	vu_rings(u, b, 1, 0);
	bo = vu_bo(u, a);
	KUNIT_ASSERT_EQ(test, vu_wait(u, a, bo, 0), 0);
	ph.handle = bo;
	KUNIT_ASSERT_EQ(test, vu_ioctl(u, a, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), 0);
	vu_track_fd(u, ph.fd);
	ph.handle = 0;
	KUNIT_ASSERT_EQ(test, vu_ioctl(u, b, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph), 0);

	vu_hold_ring(u, a, 0);
	KUNIT_ASSERT_EQ(test, i_job(u, a, true, 0, &bo, 1, &x), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_ASSERT_EQ(test, i_job(u, b, true, 0, &ph.handle, 1, &x), 0);
	r = vu_out_fence(u, &x);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 1);
	KUNIT_EXPECT_EQ(test, vu_wait(u, b, ph.handle, VIRTGPU_WAIT_NOWAIT), -EBUSY);
	vu_complete_ring(u, a, 0, vu_ring_last(u, a, 0));
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 2));
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(r));
}

/*
 * A BO imported from another device has no host resource here: a job
 * may name it, and naming it is not mistaken for using a resource that a
 * reset lost.
 */
static void virtio_gpu_implicit_prime_import_foreign(struct kunit *test)
{
	struct vu *u = vu_create_3d(test), *other = vu_create_3d(test);
	struct file *f = vu_open(u), *g = vu_open(other);
	struct drm_prime_handle ph = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct dma_fence *out;
	struct vu_exec x;
	u32 bo;

	vu_rings(u, f, 1, 0);
	bo = vu_bo(other, g);
	KUNIT_ASSERT_EQ(test, vu_wait(other, g, bo, 0), 0);
	ph.handle = bo;
	KUNIT_ASSERT_EQ(test, vu_ioctl(other, g, DRM_IOCTL_PRIME_HANDLE_TO_FD, &ph), 0);
	vu_track_fd(other, ph.fd);
	ph.handle = 0;
	KUNIT_ASSERT_EQ(test, vu_ioctl(u, f, DRM_IOCTL_PRIME_FD_TO_HANDLE, &ph), 0);

	KUNIT_ASSERT_EQ(test, i_job(u, f, true, 0, &ph.handle, 1, &x), 0);
	out = vu_out_fence(u, &x);
	KUNIT_ASSERT_TRUE(test, vu_fence_wait(out));
	KUNIT_EXPECT_EQ(test, out->error, 0);
}

/*
 * A job waits for the creation of its BO: with the global timeline held,
 * the BO is busy and a ring job using it stays off the host.
 */
static void virtio_gpu_implicit_waits_for_bo_creation(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vu_exec x;
	u32 bo;

	vu_rings(u, f, 1, 0);
	vgpu_fake_host_hold(u->t->host, VGPU_FAKE_GLOBAL);
	bo = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, i_job(u, f, true, 0, &bo, 1, &x), 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 0);
	vgt_release(u->t, VGPU_FAKE_GLOBAL);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(vu_out_fence(u, &x)));
}

/* A chain of three jobs on three rings over one BO runs in order. */
static void virtio_gpu_implicit_chain_in_order(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vu_exec x;
	u32 bo, i;

	vu_rings(u, f, 3, 0);
	bo = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, vu_wait(u, f, bo, 0), 0);
	for (i = 0; i < 3; i++) {
		vu_hold_ring(u, f, i);
		KUNIT_ASSERT_EQ(test, i_job(u, f, true, i, &bo, 1, &x), 0);
	}
	for (i = 0; i < 3; i++) {
		KUNIT_ASSERT_TRUE(test, vu_host_submits(u, i + 1));
		KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), i + 1);
		vu_complete_ring(u, f, i, vu_ring_last(u, f, i));
	}
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(vu_out_fence(u, &x)));
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, bo, 0), 0);
}

static struct kunit_case i_cases[] = {
	KUNIT_CASE(virtio_gpu_implicit_rings_share_bo),
	KUNIT_CASE(virtio_gpu_implicit_no_shared_bo_no_wait),
	KUNIT_CASE(virtio_gpu_implicit_prime_share),
	KUNIT_CASE(virtio_gpu_implicit_prime_import_foreign),
	KUNIT_CASE(virtio_gpu_implicit_waits_for_bo_creation),
	KUNIT_CASE(virtio_gpu_implicit_chain_in_order),
	{}
};

VGPU_FAKE_SUITES(i_suite, "virtio_gpu_uapi_implicit", i_cases);
