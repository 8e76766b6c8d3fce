// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_wait: WAIT, an object busy until the host
 * answered its creation, its transfers and the submissions using it.
 */

#include <kunit/test.h>

#include "vgpu_uapi.h"

/*
 * A new object is busy until the host answers its creation: with the
 * global timeline held, WAIT with NOWAIT is -EBUSY; once the host
 * completed the fence, NOWAIT and a blocking WAIT return 0.
 */
static void virtio_gpu_wait_busy_until_created(struct kunit *test)
{
	const struct vu_dev *d = test->param_value;
	struct vu *u = vu_create_features(test, d->features);
	struct file *f = vu_open(u);
	u32 bo;

	vgpu_fake_host_hold(u->t->host, VGPU_FAKE_GLOBAL);
	bo = vu_bo(u, f);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, bo, VIRTGPU_WAIT_NOWAIT), -EBUSY);
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, bo, VIRTGPU_WAIT_NOWAIT), -EBUSY);
	KUNIT_EXPECT_GE(test, vgt_release(u->t, VGPU_FAKE_GLOBAL), 1);
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, bo, VIRTGPU_WAIT_NOWAIT), 0);
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, bo, 0), 0);
}

/* A transfer makes the object busy again until the host answers it. */
static void virtio_gpu_wait_busy_during_transfer(struct kunit *test)
{
	const struct vu_dev *d = test->param_value;
	struct vu *u = vu_create_features(test, d->features);
	struct file *f = vu_open(u);
	struct drm_virtgpu_3d_transfer_to_host t = { .box = { .w = 4, .h = 4, .d = 1 } };
	u64 id;

	t.bo_handle = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, vu_wait(u, f, t.bo_handle, 0), 0);
	vgpu_fake_host_hold(u->t->host, VGPU_FAKE_GLOBAL);
	KUNIT_ASSERT_EQ(test, vu_transfer_to_host(u, f, &t), 0);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	id = vgpu_fake_host_last_fence(u->t->host, VGPU_FAKE_GLOBAL);
	if (!(d->features & VGPU_FAKE_F_VIRGL) && !vgpu_fake_host_parked(u->t->host,
									 VGPU_FAKE_GLOBAL))
		kunit_skip(test, "2D transfers carry no fence");
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, t.bo_handle, VIRTGPU_WAIT_NOWAIT), -EBUSY);
	KUNIT_EXPECT_EQ(test, vgt_complete(u->t, VGPU_FAKE_GLOBAL, id), 1);
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, t.bo_handle, VIRTGPU_WAIT_NOWAIT), 0);
}

static const struct vu_u64 r_bad_wait_flags[] = {
	{ "flag-2", 2 },
	{ "nowait-and-2", VIRTGPU_WAIT_NOWAIT | 2 },
	{ "bit-31", BIT(31) },
	{ "all", U32_MAX },
};

KUNIT_ARRAY_PARAM_DESC(r_bad_wait_flags, r_bad_wait_flags, desc);

/* Unknown WAIT flags are -EINVAL, on an idle object too. */
static void virtio_gpu_wait_bad_flags(struct kunit *test)
{
	const struct vu_u64 *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	u32 bo = vu_bo(u, f);

	KUNIT_ASSERT_EQ(test, vu_wait(u, f, bo, 0), 0);
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, bo, p->v), -EINVAL);
}

/* WAIT on a handle that does not exist is -ENOENT, blocking or not. */
static void virtio_gpu_wait_bad_handle(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);

	KUNIT_EXPECT_EQ(test, vu_wait(u, f, 0, 0), -ENOENT);
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, 0x4242, VIRTGPU_WAIT_NOWAIT), -ENOENT);
}

/*
 * A submission that uses an object makes it busy until the host completes
 * the submission's ring fence.
 */
static void virtio_gpu_wait_busy_during_execbuffer(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct vu_exec x;
	u32 bo;

	vu_rings(u, f, 1, 0);
	bo = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, vu_wait(u, f, bo, 0), 0);
	vu_hold_ring(u, f, 0);
	vu_exec_init(&x);
	x.flags |= VIRTGPU_EXECBUF_RING_IDX;
	x.bos = &bo;
	x.num_bos = 1;
	KUNIT_ASSERT_EQ(test, vu_submit(u, f, &x), 0);
	KUNIT_ASSERT_TRUE(test, vu_host_submits(u, 1));
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, bo, VIRTGPU_WAIT_NOWAIT), -EBUSY);
	KUNIT_EXPECT_EQ(test, vu_complete_ring(u, f, 0, vu_ring_last(u, f, 0)), 1);
	KUNIT_EXPECT_TRUE(test, vu_fence_wait(vu_fd_fence(u, x.out_fd)));
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, bo, VIRTGPU_WAIT_NOWAIT), 0);
}

static struct kunit_case r_wait_cases[] = {
	KUNIT_CASE_PARAM(virtio_gpu_wait_busy_until_created, vu_2d_3d_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_wait_busy_during_transfer, vu_2d_3d_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_wait_bad_flags, r_bad_wait_flags_gen_params),
	KUNIT_CASE(virtio_gpu_wait_bad_handle),
	KUNIT_CASE(virtio_gpu_wait_busy_during_execbuffer),
	{}
};

VGPU_FAKE_SUITES(r_wait_suite, "virtio_gpu_uapi_wait", r_wait_cases);
