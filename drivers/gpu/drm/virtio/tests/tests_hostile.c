// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_hostile_host: the driver against a host that
 * corrupts a seeded fraction of its answers (vgpu_fake_host_hostile()) in
 * the response type, the used length, the fence flag and id, the ctx_id,
 * the ring and the payload. Whatever the host says, no fence signals
 * before its own timeline completed it, no fence stays pending once the
 * device is reset, probe keeps only capsets within the driver's bounds,
 * and every ioctl returns. Each case runs once per seed, and a failure
 * names its seed.
 */

#include <kunit/test.h>
#include <linux/bits.h>
#include <linux/dma-fence.h>

#include "vgpu_uapi.h"

#define CTX		1
/* Fenced commands per timeline in each case. */
#define PER_TL		8

static const u64 hostile_seeds[] = {
	1, 2, 42, 0x5eed, 0xdeadbeef, 20250101, 0x0123456789abcdefull,
	0xfffffffffffffffeull,
};

static void hostile_seed_desc(const u64 *seed, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "seed-%llu", *seed);
}

KUNIT_ARRAY_PARAM(hostile_seed, hostile_seeds, hostile_seed_desc);

static u64 seed_of(struct kunit *test)
{
	return *(const u64 *)test->param_value;
}

static void hostile_off(void *host)
{
	vgpu_fake_host_hostile(host, NULL);
}

/*
 * Makes @host hostile with the test's seed, until the test ends: what the
 * test set up before is torn down by an honest host, whatever the seed.
 */
static void hostile_on(struct kunit *test, struct vgpu_fake_host *host,
		       u32 knobs, u32 rate_pct)
{
	const struct vgpu_fake_hostile h = {
		.seed = seed_of(test),
		.knobs = knobs,
		.rate_pct = rate_pct,
	};

	vgpu_fake_host_hostile(host, &h);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, hostile_off, host), 0);
}

/*
 * While the host holds ring 0, hostile answers to every other command (on
 * the global timeline, on ring 1, unfenced) never signal a fence of ring 0,
 * whose fences signal without error once the host releases it honestly.
 */
static void virtio_gpu_hostile_answers_never_signal_early(struct kunit *test)
{
	const struct vgpu_fake_tl ring0 = VGPU_FAKE_RING(CTX, 0);
	struct virtio_gpu_fence *held[2];
	u64 seed = seed_of(test);
	struct vgt *t = vgt_create_3d(test);
	unsigned int i;

	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 2);
	vgpu_fake_host_hold(t->host, ring0);
	held[0] = vgt_fence(t, CTX, 0);
	held[1] = vgt_fence(t, CTX, 0);
	vgt_submit(t, CTX, held[0]);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	hostile_on(test, t->host, VGPU_FAKE_HOSTILE_ALL, 100);

	for (i = 0; i < PER_TL; i++) {
		vgt_submit(t, CTX, vgt_fence(t, 0, 0));
		vgt_submit(t, CTX, vgt_fence(t, CTX, 1));
		vgt_submit(t, CTX, NULL);
		if (i == PER_TL / 2)
			vgt_submit(t, CTX, held[1]);
		KUNIT_ASSERT_TRUE(test, vgt_settle(t));
		KUNIT_EXPECT_FALSE_MSG(test, vgt_signalled(held[0]),
				       "seed %llu: ring 0 signalled after round %u", seed, i);
		KUNIT_EXPECT_FALSE_MSG(test, vgt_signalled(held[1]),
				       "seed %llu: ring 0 signalled after round %u", seed, i);
	}
	KUNIT_EXPECT_EQ_MSG(test, vgpu_fake_host_parked(t->host, ring0), 2, "seed %llu", seed);
	KUNIT_EXPECT_GT_MSG(test, vgpu_fake_host_corrupted(t->host), 0, "seed %llu", seed);

	vgpu_fake_host_hostile(t->host, NULL);
	KUNIT_EXPECT_EQ_MSG(test, vgt_release(t, ring0), 2, "seed %llu", seed);
	for (i = 0; i < ARRAY_SIZE(held); i++) {
		KUNIT_EXPECT_TRUE_MSG(test, vgt_signalled(held[i]), "seed %llu: fence %llu",
				      seed, held[i]->base.seqno);
		KUNIT_EXPECT_EQ_MSG(test, held[i]->base.error, 0, "seed %llu: fence %llu",
				    seed, held[i]->base.seqno);
	}
}

/*
 * Fenced commands on the global timeline and on two rings, one of them
 * held, get hostile answers, and once the host caught up, released the
 * ring and the device was reset, every fence has signalled, without error
 * or with one, and only the test still holds it.
 */
static void virtio_gpu_hostile_answers_leave_no_fence_stuck(struct kunit *test)
{
	const struct vgpu_fake_tl ring1 = VGPU_FAKE_RING(CTX, 1);
	struct virtio_gpu_fence *f[3 * PER_TL];
	u64 seed = seed_of(test);
	struct vgt *t = vgt_create_3d(test);
	unsigned int i;

	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 2);
	vgpu_fake_host_hold(t->host, ring1);
	hostile_on(test, t->host, VGPU_FAKE_HOSTILE_ALL, 50);
	for (i = 0; i < ARRAY_SIZE(f); i++) {
		/* Global, ring 0, ring 1, in turn. */
		f[i] = i % 3 ? vgt_fence(t, CTX, i % 3 - 1) : vgt_fence(t, 0, 0);
		vgt_submit(t, CTX, f[i]);
	}
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	vgt_release(t, ring1);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_EXPECT_GT_MSG(test, vgpu_fake_host_corrupted(t->host), 0, "seed %llu", seed);
	KUNIT_ASSERT_EQ_MSG(test, virtio_gpu_device_reset(t->vgdev), 0, "seed %llu", seed);

	for (i = 0; i < ARRAY_SIZE(f); i++) {
		KUNIT_EXPECT_TRUE_MSG(test, vgt_signalled(f[i]), "seed %llu: fence %llu",
				      seed, f[i]->base.seqno);
		KUNIT_EXPECT_LE_MSG(test, f[i]->base.error, 0, "seed %llu: fence %llu",
				    seed, f[i]->base.seqno);
		KUNIT_EXPECT_EQ_MSG(test, vgt_refs(f[i]), 1, "seed %llu: fence %llu",
				    seed, f[i]->base.seqno);
	}
}

/*
 * A device whose every GET_CAPSET_INFO answer is hostile in type, used
 * length and payload binds, or fails to bind cleanly, and every capset the
 * driver keeps is within its bounds (id below VIRTIO_GPU_MAX_CAPSETS, size
 * from 1 to VIRTIO_GPU_CAPSET_MAX_SIZE, version at most
 * VIRTIO_GPU_CAPSET_MAX_VERSION), named by the capset mask, and fetched
 * with data of the size it kept.
 */
static void virtio_gpu_hostile_probe_keeps_only_believable_capsets(struct kunit *test)
{
	const struct virtio_gpu_capset_data *data;
	struct vgpu_fake_host_config cfg;
	struct virtio_gpu_device *vgdev;
	struct vgpu_fake_host *host;
	u64 seed = seed_of(test), mask = 0, fetched = 0;
	u32 i;
	int ret;

	vgt_config_3d(&cfg);
	host = vgpu_fake_host_create_unregistered(test, &cfg);
	hostile_on(test, host, VGPU_FAKE_HOSTILE_BODY | VGPU_FAKE_HOSTILE_TYPE |
		   VGPU_FAKE_HOSTILE_USED_LEN, 100);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_register(host), 0);
	KUNIT_EXPECT_EQ_MSG(test, vgpu_fake_host_corrupted(host),
			    vgpu_fake_host_cmd_count(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO),
			    "seed %llu", seed);
	if (!vgpu_fake_host_bound(host)) {
		KUNIT_EXPECT_EQ_MSG(test, vgpu_fake_host_live_vqs(host), 0,
				    "seed %llu: a failed probe left queues", seed);
		return;
	}
	vgdev = vgt_bind(test, host)->vgdev;
	KUNIT_EXPECT_EQ_MSG(test, vgpu_fake_host_cmd_count(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO),
			    cfg.num_capsets, "seed %llu", seed);

	for (i = 0; i < vgdev->num_capsets; i++) {
		const struct virtio_gpu_capset *cs = &vgdev->capsets[i];

		if (!cs->valid)
			continue;
		KUNIT_EXPECT_LT_MSG(test, cs->id, VIRTIO_GPU_MAX_CAPSETS,
				    "seed %llu: capset %u", seed, i);
		KUNIT_EXPECT_GT_MSG(test, cs->max_size, 0, "seed %llu: capset %u", seed, i);
		KUNIT_EXPECT_LE_MSG(test, cs->max_size, VIRTIO_GPU_CAPSET_MAX_SIZE,
				    "seed %llu: capset %u", seed, i);
		KUNIT_EXPECT_LE_MSG(test, cs->max_version, VIRTIO_GPU_CAPSET_MAX_VERSION,
				    "seed %llu: capset %u", seed, i);
		if (cs->id < VIRTIO_GPU_MAX_CAPSETS)
			mask |= BIT_ULL(cs->id);
	}
	KUNIT_EXPECT_EQ_MSG(test, vgdev->capset_mask, mask, "seed %llu", seed);

	/* The first capset of each id is the one the driver serves. */
	for (i = 0; i < vgdev->num_capsets; i++) {
		const struct virtio_gpu_capset *cs = &vgdev->capsets[i];

		if (!cs->valid || cs->id >= VIRTIO_GPU_MAX_CAPSETS ||
		    (fetched & BIT_ULL(cs->id)))
			continue;
		fetched |= BIT_ULL(cs->id);
		ret = virtio_gpu_get_capset(vgdev, cs->id, cs->max_version, &data);
		KUNIT_EXPECT_LE_MSG(test, ret, 0, "seed %llu: capset %u", seed, i);
		if (ret)
			continue;
		KUNIT_EXPECT_EQ_MSG(test, data->id, cs->id, "seed %llu: capset %u", seed, i);
		KUNIT_EXPECT_EQ_MSG(test, data->version, cs->max_version,
				    "seed %llu: capset %u", seed, i);
		KUNIT_EXPECT_EQ_MSG(test, data->size, cs->max_size,
				    "seed %llu: capset %u", seed, i);
	}
}

/* One submission of the stream on the global timeline or a ring. */
static int hostile_submit(struct vu *u, struct file *f, unsigned int tl,
			  const u32 *bo, struct dma_fence **out)
{
	struct vu_exec x;
	int ret;

	vu_exec_init(&x);
	if (tl) {
		x.flags |= VIRTGPU_EXECBUF_RING_IDX;
		x.ring_idx = tl - 1;
	} else if (*bo) {
		x.bos = bo;
		x.num_bos = 1;
	}
	ret = vu_submit(u, f, &x);
	*out = ret ? NULL : vu_fd_fence(u, x.out_fd);
	return ret;
}

/*
 * Through the UAPI, with half of the host's answers hostile, resource
 * creation, capset queries, waits and submissions on the global timeline
 * and on two rings all return, with success or an error, and once the host
 * caught up and the device was reset every out-fence has signalled.
 */
static void virtio_gpu_hostile_ioctls_return_and_their_fences_end(struct kunit *test)
{
	struct drm_virtgpu_resource_create rc;
	struct dma_fence *out[3 * PER_TL];
	unsigned int n = 0, i, tl;
	u64 seed = seed_of(test);
	void __user *caps;
	struct file *f;
	struct vu *u;
	u32 bo = 0;
	int ret;

	u = vu_create_3d(test);
	f = vu_open(u);
	vu_rings(u, f, 2, 0);
	caps = vu_ualloc(u, 64);
	hostile_on(test, u->t->host, VGPU_FAKE_HOSTILE_ALL, 50);

	for (i = 0; i < PER_TL; i++) {
		vu_rc_2d(&rc);
		ret = vu_resource_create(u, f, &rc);
		KUNIT_EXPECT_LE_MSG(test, ret, 0, "seed %llu: RESOURCE_CREATE %u", seed, i);
		if (!ret)
			bo = rc.bo_handle;
		ret = vu_get_caps(u, f, VIRTIO_GPU_CAPSET_VIRGL2, i % 3, caps, 64);
		KUNIT_EXPECT_LE_MSG(test, ret, 0, "seed %llu: GET_CAPS %u", seed, i);
		if (bo) {
			ret = vu_wait(u, f, bo, VIRTGPU_WAIT_NOWAIT);
			KUNIT_EXPECT_LE_MSG(test, ret, 0, "seed %llu: WAIT %u", seed, i);
		}
		for (tl = 0; tl < 3; tl++) {
			ret = hostile_submit(u, f, tl, &bo, &out[n]);
			KUNIT_EXPECT_LE_MSG(test, ret, 0, "seed %llu: EXECBUFFER %u on %u",
					    seed, i, tl);
			if (!ret)
				n++;
		}
	}

	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	vgpu_fake_host_release_all(u->t->host);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_GT_MSG(test, vgpu_fake_host_corrupted(u->t->host), 0, "seed %llu", seed);
	KUNIT_ASSERT_EQ_MSG(test, virtio_gpu_device_reset(u->t->vgdev), 0, "seed %llu", seed);

	for (i = 0; i < n; i++)
		KUNIT_EXPECT_TRUE_MSG(test, vu_fence_wait(out[i]),
				      "seed %llu: out-fence %u of %u still pending", seed, i, n);
	if (bo)
		KUNIT_EXPECT_EQ_MSG(test, vu_wait(u, f, bo, 0), 0, "seed %llu", seed);
}

static struct kunit_case hostile_cases[] = {
	KUNIT_CASE_PARAM(virtio_gpu_hostile_answers_never_signal_early,
			 hostile_seed_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_hostile_answers_leave_no_fence_stuck,
			 hostile_seed_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_hostile_probe_keeps_only_believable_capsets,
			 hostile_seed_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_hostile_ioctls_return_and_their_fences_end,
			 hostile_seed_gen_params),
	{}
};

static struct kunit_suite hostile_suite = {
	.name = "virtio_gpu_hostile_host",
	.init = vgpu_fake_suite_init_qemu,
	.test_cases = hostile_cases,
};

kunit_test_suite(hostile_suite);
