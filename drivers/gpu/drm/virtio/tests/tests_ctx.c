// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 3D contexts and their rings: ring timeline limits, fence allocation on
 * rings, how ring and global fences are tagged on the wire, and what the
 * CTX_CREATE command carries.
 */

#include <kunit/test.h>

#include "vgpu_test.h"

#define CTX		5

struct rings_case {
	const char *name;
	u32 ctx_id;
	u32 num_rings;
	int ret;
};

static const struct rings_case rings_cases[] = {
	{ "ctx-0", 0, 1, -EINVAL },
	{ "no-rings", CTX, 0, -EINVAL },
	{ "65-rings", CTX, VIRTIO_GPU_MAX_RINGS + 1, -EINVAL },
	{ "u32-max-rings", CTX, U32_MAX, -EINVAL },
	{ "one-ring", CTX, 1, 0 },
	{ "64-rings", CTX, VIRTIO_GPU_MAX_RINGS, 0 },
	{ "high-ctx-id", U32_MAX, 2, 0 },
};

static void rings_case_desc(const struct rings_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(rings_case, rings_cases, rings_case_desc);

/*
 * virtio_gpu_rings_create() takes 1 to 64 rings for a context other than
 * 0. A refused call leaves the context without rings; an accepted one
 * makes exactly the requested rings available.
 */
static void ctx_rings_limits(struct kunit *test)
{
	const struct rings_case *c = test->param_value;
	struct virtio_gpu_timeline *tl;
	struct vgt *t = vgt_create_3d(test);
	int ret;

	ret = virtio_gpu_rings_create(t->vgdev, c->ctx_id, c->num_rings);
	KUNIT_EXPECT_EQ(test, ret, c->ret);
	if (ret) {
		if (c->ctx_id)
			KUNIT_EXPECT_NULL(test, virtio_gpu_timeline_get(t->vgdev, c->ctx_id, 0));
		return;
	}
	virtio_gpu_rings_destroy(t->vgdev, c->ctx_id);
	KUNIT_ASSERT_EQ(test, virtio_gpu_rings_create(t->vgdev, c->ctx_id, c->num_rings), 0);
	vgt_rings(t, c->ctx_id ^ 1, 1);	/* a neighbour that must stay apart */

	tl = virtio_gpu_timeline_get(t->vgdev, c->ctx_id, c->num_rings - 1);
	KUNIT_EXPECT_NOT_NULL(test, tl);
	if (tl) {
		KUNIT_EXPECT_EQ(test, tl->ctx_id, c->ctx_id);
		KUNIT_EXPECT_EQ(test, tl->ring_idx, c->num_rings - 1);
		KUNIT_EXPECT_TRUE(test, tl->ring);
		virtio_gpu_timeline_put(tl);
	}
	KUNIT_EXPECT_NULL(test, virtio_gpu_timeline_get(t->vgdev, c->ctx_id, c->num_rings));
	virtio_gpu_rings_destroy(t->vgdev, c->ctx_id);
	KUNIT_EXPECT_NULL(test, virtio_gpu_timeline_get(t->vgdev, c->ctx_id, 0));
}

/*
 * A context gets its rings once: a second virtio_gpu_rings_create() fails
 * with -EEXIST and leaves the first set in place; after the rings were
 * destroyed the context may get a new set, on fresh fence contexts.
 */
static void ctx_rings_twice(struct kunit *test)
{
	struct virtio_gpu_fence *old, *again, *fresh;
	struct vgt *t = vgt_create_3d(test);

	KUNIT_ASSERT_EQ(test, virtio_gpu_rings_create(t->vgdev, CTX, 2), 0);
	old = vgt_fence(t, CTX, 1);
	KUNIT_EXPECT_EQ(test, virtio_gpu_rings_create(t->vgdev, CTX, 2), -EEXIST);
	KUNIT_EXPECT_EQ(test, virtio_gpu_rings_create(t->vgdev, CTX, 8), -EEXIST);
	again = vgt_fence(t, CTX, 1);
	KUNIT_EXPECT_EQ(test, again->base.context, old->base.context);
	KUNIT_EXPECT_TRUE(test, IS_ERR(virtio_gpu_fence_alloc(t->vgdev, CTX, 2)));

	virtio_gpu_rings_destroy(t->vgdev, CTX);
	vgt_rings(t, CTX, 4);
	fresh = vgt_fence(t, CTX, 1);
	KUNIT_EXPECT_NE(test, fresh->base.context, old->base.context);
}

/*
 * The rings of a context are consecutive dma-fence contexts (ring i is
 * ring 0 plus i); they differ from the global timeline's and from another
 * context's rings.
 */
static void ctx_ring_fence_contexts(struct kunit *test)
{
	struct virtio_gpu_fence *r[4], *other, *global;
	struct vgt *t = vgt_create_3d(test);
	unsigned int i;

	vgt_rings(t, CTX, 4);
	vgt_rings(t, CTX + 1, 1);
	for (i = 0; i < 4; i++)
		r[i] = vgt_fence(t, CTX, i);
	other = vgt_fence(t, CTX + 1, 0);
	global = vgt_fence(t, 0, 0);

	for (i = 0; i < 4; i++) {
		KUNIT_EXPECT_EQ(test, r[i]->base.context, r[0]->base.context + i);
		KUNIT_EXPECT_NE(test, r[i]->base.context, other->base.context);
		KUNIT_EXPECT_NE(test, r[i]->base.context, global->base.context);
		KUNIT_EXPECT_TRUE(test, r[i]->tl->ring);
	}
	KUNIT_EXPECT_FALSE(test, global->tl->ring);
	KUNIT_EXPECT_EQ(test, global->tl->ctx_id, 0);
}

/*
 * Fence allocation on a ring that does not exist fails with -EINVAL: past
 * the last ring, on a context without rings, after the rings were
 * destroyed. The global timeline (context 0) needs no rings.
 */
static void ctx_fence_unknown_ring(struct kunit *test)
{
	struct virtio_gpu_fence *fence;
	struct vgt *t = vgt_create_3d(test);

	vgt_rings(t, CTX, 2);
	KUNIT_EXPECT_PTR_EQ(test, virtio_gpu_fence_alloc(t->vgdev, CTX, 2), ERR_PTR(-EINVAL));
	KUNIT_EXPECT_PTR_EQ(test, virtio_gpu_fence_alloc(t->vgdev, CTX, 255), ERR_PTR(-EINVAL));
	KUNIT_EXPECT_PTR_EQ(test, virtio_gpu_fence_alloc(t->vgdev, CTX + 1, 0), ERR_PTR(-EINVAL));
	fence = vgt_fence(t, 0, 9);
	KUNIT_EXPECT_FALSE(test, fence->tl->ring);

	KUNIT_ASSERT_EQ(test, virtio_gpu_rings_create(t->vgdev, CTX + 2, 1), 0);
	virtio_gpu_rings_destroy(t->vgdev, CTX + 2);
	KUNIT_EXPECT_PTR_EQ(test, virtio_gpu_fence_alloc(t->vgdev, CTX + 2, 0), ERR_PTR(-EINVAL));
}

static const u8 wire_rings[] = { 0, 1, 63 };

static void wire_ring_desc(const u8 *ring, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "ring-%u", *ring);
}

KUNIT_ARRAY_PARAM(wire_ring, wire_rings, wire_ring_desc);

/*
 * A command with a ring fence reaches the host with VIRTIO_GPU_FLAG_FENCE
 * and VIRTIO_GPU_FLAG_INFO_RING_IDX, the fence id and the ring index, and
 * the host files it on that ring.
 */
static void ctx_ring_fence_on_wire(struct kunit *test)
{
	const u8 *ring = test->param_value;
	struct virtio_gpu_cmd_submit cmd;
	struct virtio_gpu_fence *fence;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 64);
	fence = vgt_fence(t, CTX, *ring);
	vgt_submit(t, CTX, fence);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(t->host, VIRTIO_GPU_CMD_SUBMIT_3D,
						      &cmd, sizeof(cmd)), sizeof(cmd));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cmd.hdr.flags),
			VIRTIO_GPU_FLAG_FENCE | VIRTIO_GPU_FLAG_INFO_RING_IDX);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(cmd.hdr.fence_id), fence->base.seqno);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cmd.hdr.ctx_id), CTX);
	KUNIT_EXPECT_EQ(test, cmd.hdr.ring_idx, *ring);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_last_fence(t->host, VGPU_FAKE_RING(CTX, *ring)),
			fence->base.seqno);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_last_fence(t->host, VGPU_FAKE_GLOBAL), 0);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(fence));
}

/*
 * A command with a global fence carries VIRTIO_GPU_FLAG_FENCE and its id
 * but no ring information; an unfenced command carries no fence at all.
 */
static void ctx_global_fence_on_wire(struct kunit *test)
{
	struct virtio_gpu_cmd_submit cmd;
	struct virtio_gpu_fence *fence;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 2);
	fence = vgt_fence(t, 0, 0);
	vgt_submit(t, CTX, fence);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(t->host, VIRTIO_GPU_CMD_SUBMIT_3D,
						      &cmd, sizeof(cmd)), sizeof(cmd));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cmd.hdr.flags), VIRTIO_GPU_FLAG_FENCE);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(cmd.hdr.fence_id), fence->base.seqno);
	KUNIT_EXPECT_EQ(test, cmd.hdr.ring_idx, 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_last_fence(t->host, VGPU_FAKE_GLOBAL),
			fence->base.seqno);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(fence));

	vgt_submit(t, CTX, NULL);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(t->host, VIRTIO_GPU_CMD_SUBMIT_3D,
						      &cmd, sizeof(cmd)), sizeof(cmd));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cmd.hdr.flags), 0);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(cmd.hdr.fence_id), 0);
	KUNIT_EXPECT_EQ(test, t->vgdev->fence_drv.last_id, fence->base.seqno);
}

/*
 * SUBMIT_3D carries the size of the command stream and the stream itself
 * right after the command.
 */
static void ctx_submit_payload(struct kunit *test)
{
	static const u8 stream[40] = { 1, 2, 3, 4, [39] = 0x99 };
	struct {
		struct virtio_gpu_cmd_submit cmd;
		u8 stream[40];
	} __packed seen;
	struct vgpu_fake_ctx_info info;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, 0, 0);
	KUNIT_ASSERT_EQ(test, virtio_gpu_cmd_submit_3d(t->vgdev, CTX, stream, sizeof(stream),
						       NULL), 0);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(t->host, VIRTIO_GPU_CMD_SUBMIT_3D,
						      &seen, sizeof(seen)), sizeof(seen));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(seen.cmd.size), sizeof(stream));
	KUNIT_EXPECT_MEMEQ(test, seen.stream, stream, sizeof(stream));
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_get_ctx(t->host, CTX, &info));
	KUNIT_EXPECT_EQ(test, info.submits, 1);
}

struct name_case {
	const char *desc;
	const char *name;
	const char *sent;
};

static const struct name_case name_cases[] = {
	{ "no-name", NULL, "" },
	{ "empty", "", "" },
	{ "short", "mesa-virgl", "mesa-virgl" },
	{ "63-bytes", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
	  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_" },
	{ "too-long", "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_+-*/",
	  "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_" },
};

static void name_case_desc(const struct name_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(name_case, name_cases, name_case_desc);

/*
 * CTX_CREATE carries the context id, the context_init word (capset id) and
 * the debug name with its length, cut to 63 bytes and NUL terminated; the
 * host creates the context with those.
 */
static void ctx_create_command(struct kunit *test)
{
	const struct name_case *c = test->param_value;
	struct virtio_gpu_ctx_create cmd;
	struct vgpu_fake_ctx_info info;
	struct vgt *t = vgt_create_3d(test);

	KUNIT_ASSERT_EQ(test, virtio_gpu_cmd_ctx_create(t->vgdev, CTX, VGT_CAPSET_GFXSTREAM,
							c->name, NULL), 0);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(t->host, VIRTIO_GPU_CMD_CTX_CREATE,
						      &cmd, sizeof(cmd)), sizeof(cmd));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cmd.hdr.ctx_id), CTX);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cmd.context_init), VGT_CAPSET_GFXSTREAM);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cmd.nlen), strlen(c->sent));
	KUNIT_EXPECT_STREQ(test, cmd.debug_name, c->sent);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cmd.hdr.flags), 0);

	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_get_ctx(t->host, CTX, &info));
	KUNIT_EXPECT_EQ(test, info.capset_id, VGT_CAPSET_GFXSTREAM);
	KUNIT_EXPECT_EQ(test, info.context_init, VGT_CAPSET_GFXSTREAM);
	KUNIT_EXPECT_STREQ(test, info.debug_name, c->sent);
}

/*
 * A context created with a fence on its own ring 0: the CTX_CREATE carries
 * the ring fence, and the fence signals when the host answers; destroying
 * the context removes it from the host.
 */
static void ctx_create_fenced_then_destroy(struct kunit *test)
{
	struct virtio_gpu_ctx_create cmd;
	struct virtio_gpu_fence *fence;
	struct vgt *t = vgt_create_3d(test);

	vgt_rings(t, CTX, 1);
	fence = vgt_fence(t, CTX, 0);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_RING(CTX, 0));
	KUNIT_ASSERT_EQ(test, virtio_gpu_cmd_ctx_create(t->vgdev, CTX, 0, "fenced", fence), 0);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(t->host, VIRTIO_GPU_CMD_CTX_CREATE,
						      &cmd, sizeof(cmd)), sizeof(cmd));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(cmd.hdr.flags),
			VIRTIO_GPU_FLAG_FENCE | VIRTIO_GPU_FLAG_INFO_RING_IDX);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(cmd.hdr.fence_id), fence->base.seqno);
	KUNIT_EXPECT_FALSE(test, vgt_signalled(fence));

	KUNIT_EXPECT_EQ(test, vgt_complete(t, VGPU_FAKE_RING(CTX, 0), fence->base.seqno), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(fence));
	KUNIT_EXPECT_EQ(test, fence->base.error, 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(t->host), 1);

	KUNIT_ASSERT_EQ(test, virtio_gpu_cmd_ctx_destroy(t->vgdev, CTX), 0);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(t->host), 0);
}

/*
 * The rings of a context are destroyed while one of their fences is still
 * with the host: the fence signals with -ECANCELED at once, keeps its
 * timeline name, and a late answer of the host for it changes nothing.
 */
static void ctx_rings_destroyed_fence_cancelled(struct kunit *test)
{
	struct virtio_gpu_fence *fence;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 0);
	KUNIT_ASSERT_EQ(test, virtio_gpu_rings_create(t->vgdev, CTX, 1), 0);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_RING(CTX, 0));
	fence = vgt_fence(t, CTX, 0);
	vgt_submit(t, CTX, fence);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_EXPECT_FALSE(test, vgt_signalled(fence));

	virtio_gpu_rings_destroy(t->vgdev, CTX);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(fence));
	KUNIT_EXPECT_EQ(test, fence->base.error, -ECANCELED);
	KUNIT_EXPECT_STREQ(test, fence->base.ops->get_timeline_name(&fence->base), "ctx5-ring0");

	/* The command still holds the fence until the host returns it. */
	KUNIT_EXPECT_EQ(test, vgt_complete(t, VGPU_FAKE_RING(CTX, 0), fence->base.seqno), 1);
	KUNIT_EXPECT_EQ(test, fence->base.error, -ECANCELED);
	KUNIT_EXPECT_EQ(test, vgt_refs(fence), 1);
}

/*
 * The device goes away while a fence of a context's ring is still with
 * the host: the fence signals with -ENODEV like every other pending fence.
 */
static void ctx_rings_fence_unplug(struct kunit *test)
{
	struct virtio_gpu_fence *fence;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 0);
	KUNIT_ASSERT_EQ(test, virtio_gpu_rings_create(t->vgdev, CTX, 1), 0);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_RING(CTX, 0));
	fence = vgt_fence(t, CTX, 0);
	vgt_submit(t, CTX, fence);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	vgt_unbind(t);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(fence));
	KUNIT_EXPECT_EQ(test, fence->base.error, -ENODEV);
	KUNIT_EXPECT_EQ(test, vgt_refs(fence), 1);
}

static struct kunit_case ctx_cases[] = {
	KUNIT_CASE_PARAM(ctx_rings_limits, rings_case_gen_params),
	KUNIT_CASE(ctx_rings_twice),
	KUNIT_CASE(ctx_ring_fence_contexts),
	KUNIT_CASE(ctx_fence_unknown_ring),
	KUNIT_CASE_PARAM(ctx_ring_fence_on_wire, wire_ring_gen_params),
	KUNIT_CASE(ctx_global_fence_on_wire),
	KUNIT_CASE(ctx_submit_payload),
	KUNIT_CASE_PARAM(ctx_create_command, name_case_gen_params),
	KUNIT_CASE(ctx_create_fenced_then_destroy),
	KUNIT_CASE(ctx_rings_destroyed_fence_cancelled),
	KUNIT_CASE(ctx_rings_fence_unplug),
	{}
};

VGPU_FAKE_SUITES(ctx_suite, "virtio_gpu_ctx", ctx_cases);
