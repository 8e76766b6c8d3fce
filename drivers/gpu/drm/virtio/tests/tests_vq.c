// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Virtqueues: decoding responses into errnos, error and malformed answers
 * and what they do to fences, command buffers of sizes that wrap, the
 * cursor queue, and back-pressure when the control queue is full.
 */

#include <kunit/test.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/vmalloc.h>

#include "vgpu_test.h"

#define CTX		1
#define RING		VGPU_FAKE_RING(CTX, 0)

struct errno_case {
	const char *name;
	u32 type;
	int err;
};

static const struct errno_case errno_cases[] = {
	{ "ok-nodata", VIRTIO_GPU_RESP_OK_NODATA, 0 },
	{ "ok-display-info", VIRTIO_GPU_RESP_OK_DISPLAY_INFO, 0 },
	{ "ok-capset-info", VIRTIO_GPU_RESP_OK_CAPSET_INFO, 0 },
	{ "ok-capset", VIRTIO_GPU_RESP_OK_CAPSET, 0 },
	{ "ok-edid", VIRTIO_GPU_RESP_OK_EDID, 0 },
	{ "ok-resource-uuid", VIRTIO_GPU_RESP_OK_RESOURCE_UUID, 0 },
	{ "ok-map-info", VIRTIO_GPU_RESP_OK_MAP_INFO, 0 },
	{ "err-unspec", VIRTIO_GPU_RESP_ERR_UNSPEC, -EIO },
	{ "err-out-of-memory", VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, -ENOMEM },
	{ "err-invalid-scanout", VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID, -EINVAL },
	{ "err-invalid-resource", VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, -ENOENT },
	{ "err-invalid-context", VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID, -ENOENT },
	{ "err-invalid-parameter", VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, -EINVAL },
	{ "err-newer", VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER + 1, -EIO },
	{ "err-last", 0x12ff, -EIO },
	{ "zero", 0, -EPROTO },
	{ "command-type", VIRTIO_GPU_CMD_SUBMIT_3D, -EPROTO },
	{ "ok-unknown", VIRTIO_GPU_RESP_OK_MAP_INFO + 1, -EPROTO },
	{ "after-errors", 0x1300, -EPROTO },
	{ "all-ones", U32_MAX, -EPROTO },
};

static void errno_case_desc(const struct errno_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(errno_case, errno_cases, errno_case_desc);

/*
 * Each response type decodes to its errno: 0 for the OK types, the
 * matching errno for each VIRTIO_GPU_RESP_ERR_*, -EIO for error types the
 * driver does not know yet, -EPROTO for anything else.
 */
static void vq_resp_to_errno(struct kunit *test)
{
	const struct errno_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, virtio_gpu_resp_to_errno(c->type), c->err);
}

static const struct errno_case host_error_cases[] = {
	{ "unspec", VIRTIO_GPU_RESP_ERR_UNSPEC, -EIO },
	{ "out-of-memory", VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY, -ENOMEM },
	{ "invalid-scanout", VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID, -EINVAL },
	{ "invalid-resource", VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID, -ENOENT },
	{ "invalid-context", VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID, -ENOENT },
	{ "invalid-parameter", VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER, -EINVAL },
};

KUNIT_ARRAY_PARAM(host_error, host_error_cases, errno_case_desc);

/*
 * The host fails a fenced SUBMIT_3D on a ring with each error type. The
 * response still carries VIRTIO_GPU_FLAG_FENCE and the fence id (and the
 * ring, from crosvm);
 * the command ends with the matching errno, and the fence signals with that
 * error, set before it signalled (seen from its callback).
 */
static void vq_error_response(struct kunit *test)
{
	const struct errno_case *c = test->param_value;
	const struct virtio_gpu_ctrl_hdr *resp;
	struct virtio_gpu_fence *fence;
	struct virtio_gpu_vbuf *vbuf;
	struct vgt_sig *sig;
	atomic_t *order;
	struct vgt *t;

	t = vgt_create_3d(test);
	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 1);
	fence = vgt_fence(t, CTX, 0);
	sig = kunit_kzalloc(test, sizeof(*sig), GFP_KERNEL);
	order = kunit_kzalloc(test, sizeof(*order), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sig);
	KUNIT_ASSERT_NOT_NULL(test, order);
	vgt_watch(test, fence, sig, order);

	vgpu_fake_host_fail_next(t->host, VIRTIO_GPU_CMD_SUBMIT_3D, c->type);
	vbuf = vgt_vbuf_submit(t, CTX, fence);
	KUNIT_EXPECT_EQ(test, virtio_gpu_wait_vbuf(vbuf, VGT_TIMEOUT), c->err);

	resp = vbuf->resp;
	KUNIT_ASSERT_GE(test, vbuf->resp_len, sizeof(*resp));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(resp->type), c->type);
	KUNIT_EXPECT_TRUE(test, le32_to_cpu(resp->flags) & VIRTIO_GPU_FLAG_FENCE);
	/* Only crosvm echoes the ring (enum vgpu_fake_personality). */
	KUNIT_EXPECT_EQ(test, !!(le32_to_cpu(resp->flags) & VIRTIO_GPU_FLAG_INFO_RING_IDX),
			vgpu_fake_host_personality(t->host) == VGPU_FAKE_HOST_CROSVM);
	/* Both real hosts echo ctx_id; the spec asks for the fence only. */
	KUNIT_EXPECT_EQ(test, le32_to_cpu(resp->ctx_id),
			vgpu_fake_host_personality(t->host) == VGPU_FAKE_HOST_SPEC ? 0 : CTX);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(resp->fence_id), fence->base.seqno);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_responses(t->host, c->type), 1);

	KUNIT_EXPECT_TRUE(test, vgt_signalled(fence));
	KUNIT_EXPECT_EQ(test, fence->base.error, c->err);
	KUNIT_EXPECT_EQ(test, sig->calls, 1);
	KUNIT_EXPECT_EQ(test, sig->error, c->err);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, malformed), 0);
}

/*
 * Fence 2 fails on the host with OUT_OF_MEMORY while fence 1, before it on
 * the timeline, still runs. QEMU answers the failure at once; that answer
 * does not say fence 1 completed, so neither fence signals yet. Once
 * fence 1 completes both signal, in order, fence 1 without error and
 * fence 2 with -ENOMEM.
 */
static void vq_error_answer_waits_for_earlier(struct kunit *test)
{
	struct virtio_gpu_fence *f1, *f2;
	struct vgt_sig *sig1, *sig2;
	atomic_t *order;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, 0, 0);
	sig1 = kunit_kzalloc(test, sizeof(*sig1), GFP_KERNEL);
	sig2 = kunit_kzalloc(test, sizeof(*sig2), GFP_KERNEL);
	order = kunit_kzalloc(test, sizeof(*order), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sig1);
	KUNIT_ASSERT_NOT_NULL(test, sig2);
	KUNIT_ASSERT_NOT_NULL(test, order);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_GLOBAL);
	f1 = vgt_fence(t, 0, 0);
	f2 = vgt_fence(t, 0, 0);
	vgt_watch(test, f1, sig1, order);
	vgt_watch(test, f2, sig2, order);
	vgt_submit(t, CTX, f1);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	vgpu_fake_host_fail_next(t->host, VIRTIO_GPU_CMD_SUBMIT_3D,
				 VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY);
	vgt_submit(t, CTX, f2);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	/*
	 * QEMU answered the failure already, and so did the spec device,
	 * which copies it there; crosvm holds it with the fence.
	 */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_responses(t->host,
						       VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY),
			vgpu_fake_host_personality(t->host) != VGPU_FAKE_HOST_CROSVM);
	KUNIT_EXPECT_FALSE(test, vgt_signalled(f1));
	KUNIT_EXPECT_FALSE(test, vgt_signalled(f2));

	vgt_complete(t, VGPU_FAKE_GLOBAL, f2->base.seqno);
	KUNIT_ASSERT_TRUE(test, vgt_signalled(f1));
	KUNIT_ASSERT_TRUE(test, vgt_signalled(f2));
	KUNIT_EXPECT_EQ(test, f1->base.error, 0);
	KUNIT_EXPECT_EQ(test, f2->base.error, -ENOMEM);
	KUNIT_EXPECT_EQ(test, sig2->error, -ENOMEM);
	KUNIT_EXPECT_LT(test, sig1->rank, sig2->rank);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), 0);
}

struct bad_case {
	const char *name;
	enum vgpu_fake_misbehaviour what;
	u64 arg;
	bool ring;
	bool taken;	/* still the answer to fence 1 */
	bool mismatch;	/* with an echo that names something else */
};

static const struct bad_case bad_cases[] = {
	{ "short-global", VGPU_FAKE_SHORT_RESPONSE, 0, false, false, false },
	{ "short-ring", VGPU_FAKE_SHORT_RESPONSE, 0, true, false, false },
	{ "wrong-type-global", VGPU_FAKE_WRONG_TYPE, 0, false, false, false },
	{ "wrong-type-ring", VGPU_FAKE_WRONG_TYPE, 0, true, false, false },
	{ "used-len-past-buffer-global", VGPU_FAKE_LONG_USED_LEN, 0, false, false, false },
	{ "used-len-past-buffer-ring", VGPU_FAKE_LONG_USED_LEN, 0, true, false, false },
	{ "ring-200-global", VGPU_FAKE_BAD_RING_IDX, 0, false, true, true },
	{ "ring-200-ring", VGPU_FAKE_BAD_RING_IDX, 0, true, true, true },
	{ "no-fence-flag-global", VGPU_FAKE_DROP_FENCE_FLAG, 0, false, true, true },
	{ "no-fence-flag-ring", VGPU_FAKE_DROP_FENCE_FLAG, 0, true, true, true },
	{ "foreign-ctx-global", VGPU_FAKE_SET_CTX_ID, CTX + 1, false, true, true },
	{ "foreign-ctx-ring", VGPU_FAKE_SET_CTX_ID, CTX + 1, true, true, true },
	{ "zero-ctx-ring", VGPU_FAKE_SET_CTX_ID, 0, true, true, false },
};

static void bad_case_desc(const struct bad_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_case, bad_cases, bad_case_desc);

/*
 * A bad answer to fence 1. A malformed one (too short, of a type that does
 * not answer the command, claiming more bytes than the buffer the driver
 * posted holds) is rejected, counted as malformed, and signals nothing. One
 * that only echoes its header wrongly (naming ring 200, which the context
 * does not have, another context, or lacking the fence flag) is still fence
 * 1's answer: the echo is counted as a mismatch and never followed, and
 * fence 1 signals on the timeline it was sent on. A ctx_id left zero, all
 * the spec asks of a device, is no mismatch. Either way fence 2 waits for its own answer,
 * which then signals both without error, and every reference the driver
 * took is dropped.
 */
static void vq_bad_answer(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct vgpu_fake_tl tl = c->ring ? RING : VGPU_FAKE_GLOBAL;
	struct virtio_gpu_fence *f1, *f2;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 1);
	vgpu_fake_host_hold(t->host, tl);
	f1 = vgt_fence(t, c->ring ? CTX : 0, 0);
	f2 = vgt_fence(t, c->ring ? CTX : 0, 0);
	vgt_submit(t, CTX, f1);
	vgt_submit(t, CTX, f2);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));

	vgpu_fake_host_misbehave(t->host, c->what, c->arg);
	KUNIT_EXPECT_EQ(test, vgt_complete(t, tl, f1->base.seqno), 1);
	KUNIT_EXPECT_EQ(test, vgt_signalled(f1), c->taken);
	KUNIT_EXPECT_FALSE(test, vgt_signalled(f2));
	KUNIT_EXPECT_EQ(test, vgt_stat(t, malformed), !c->taken);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), c->mismatch);

	KUNIT_EXPECT_EQ(test, vgt_complete(t, tl, f2->base.seqno), 1);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(f1));
	KUNIT_EXPECT_TRUE(test, vgt_signalled(f2));
	KUNIT_EXPECT_EQ(test, f1->base.error, 0);
	KUNIT_EXPECT_EQ(test, f2->base.error, 0);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, malformed), !c->taken);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, mismatch), c->mismatch);
	KUNIT_EXPECT_EQ(test, vgt_refs(f1), 1);
	KUNIT_EXPECT_EQ(test, vgt_refs(f2), 1);
}

/*
 * Pages of one block mapped contiguously in vmalloc space, in the order a
 * pattern gives: pages that follow each other in the block and in the
 * pattern are physically contiguous, the others are not.
 */
struct vq_mapped {
	struct page *block;
	unsigned int order;
	void *va;
};

static void vq_mapped_free(void *data)
{
	struct vq_mapped *m = data;

	vunmap(m->va);
	__free_pages(m->block, m->order);
}

/* Maps page pick[i] of a block of 2^order pages at page i. */
static void *vq_map(struct kunit *test, const unsigned int *pick, unsigned int n,
		    unsigned int order)
{
	struct vq_mapped *m = kunit_kzalloc(test, sizeof(*m), GFP_KERNEL);
	struct page **pages;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, m);
	pages = kunit_kcalloc(test, n, sizeof(*pages), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, pages);
	m->order = order;
	m->block = alloc_pages(GFP_KERNEL, order);
	KUNIT_ASSERT_NOT_NULL(test, m->block);
	for (i = 0; i < n; i++)
		pages[i] = m->block + pick[i];
	m->va = vmap(pages, n, VM_MAP, PAGE_KERNEL);
	if (!m->va)
		__free_pages(m->block, m->order);
	KUNIT_ASSERT_NOT_NULL(test, m->va);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, vq_mapped_free, m), 0);
	return m->va;
}

/* @n pages of which no two are physically contiguous. */
static void *vq_scattered(struct kunit *test, unsigned int n)
{
	unsigned int *pick = kunit_kcalloc(test, n, sizeof(*pick), GFP_KERNEL);
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(test, pick);
	for (i = 0; i < n; i++)
		pick[i] = 2 * i;
	return vq_map(test, pick, n, order_base_2(2 * n));
}

/* Sends a SUBMIT_3D whose payload is @len bytes at @data and waits. */
static int vq_send_payload(struct vgt *t, const void *data, u32 len)
{
	struct virtio_gpu_cmd_submit *cmd;
	struct virtio_gpu_vbuf *vbuf;
	int ret;

	vbuf = vgt_vbuf(t->test, sizeof(*cmd), sizeof(struct virtio_gpu_ctrl_hdr));
	cmd = vbuf->cmd;
	cmd->hdr.type = cpu_to_le32(VIRTIO_GPU_CMD_SUBMIT_3D);
	cmd->hdr.ctx_id = cpu_to_le32(CTX);
	cmd->size = cpu_to_le32(len);
	ret = virtio_gpu_vbuf_set_data(t->vgdev, vbuf, data, len, false);
	if (ret)
		return ret;
	return virtio_gpu_cmd_sync(t->vgdev, vbuf);
}

/* The device read exactly the command and @len bytes at @data. */
static void vq_expect_read(struct vgt *t, const void *data, size_t len)
{
	struct virtio_gpu_cmd_submit cmd;
	struct kunit *test = t->test;
	size_t seen;
	u8 *all;
	u64 hash;

	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(t->host, VIRTIO_GPU_CMD_SUBMIT_3D,
						      &cmd, sizeof(cmd)), sizeof(cmd));
	all = kunit_kmalloc(test, sizeof(cmd) + len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, all);
	memcpy(all, &cmd, sizeof(cmd));
	memcpy(all + sizeof(cmd), data, len);
	hash = vgpu_fake_host_last_cmd_hash(t->host, VIRTIO_GPU_CMD_SUBMIT_3D, &seen);
	KUNIT_EXPECT_EQ(test, seen, sizeof(cmd) + len);
	KUNIT_EXPECT_EQ(test, hash, vgpu_fake_hash(all, sizeof(cmd) + len));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_dma_faults(t->host), 0);
}

/*
 * A payload in vmalloc space (as kvmalloc gives for large command streams
 * and mem entry arrays), over four physically apart pages and starting
 * mid-page, reaches the device byte for byte in four pieces: the device,
 * which follows addresses only, refuses nothing.
 */
static void vq_vmalloc_payload_by_page(struct kunit *test)
{
	const size_t off = 100, len = 3 * PAGE_SIZE + 200;
	size_t i;
	u8 *area;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 1);
	area = vq_scattered(test, 4);
	for (i = 0; i < len; i++)
		area[off + i] = i * 7 + (i >> 8);
	KUNIT_ASSERT_EQ(test, vq_send_payload(t, area + off, len), 0);
	vq_expect_read(t, area + off, len);
	/* The command, then one piece per page. */
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_last_cmd_pieces(t->host,
							     VIRTIO_GPU_CMD_SUBMIT_3D), 1 + 4);
}

/*
 * Pages that are physically contiguous go as one piece: pages 0 1 3 4 6
 * of a block make three runs, 0-1, 3-4 and 6.
 */
static void vq_vmalloc_payload_merges_runs(struct kunit *test)
{
	static const unsigned int pick[] = { 0, 1, 3, 4, 6 };
	const size_t len = ARRAY_SIZE(pick) * PAGE_SIZE;
	size_t i;
	u8 *area;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 1);
	area = vq_map(test, pick, ARRAY_SIZE(pick), 3);
	for (i = 0; i < len; i++)
		area[i] = i * 11 + (i >> 12);
	KUNIT_ASSERT_EQ(test, vq_send_payload(t, area, len), 0);
	vq_expect_read(t, area, len);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_last_cmd_pieces(t->host,
							     VIRTIO_GPU_CMD_SUBMIT_3D), 1 + 3);
}

struct chain_case {
	const char *name;
	unsigned int pages;	/* physically apart */
	int err;
};

/* Command, pieces and response against a queue of 64. */
static const struct chain_case chain_cases[] = {
	{ "chain-of-63", VGPU_FAKE_CTRL_QUEUE_SIZE - 3, 0 },
	{ "chain-of-64", VGPU_FAKE_CTRL_QUEUE_SIZE - 2, 0 },
	{ "chain-of-65", VGPU_FAKE_CTRL_QUEUE_SIZE - 1, -E2BIG },
	{ "chain-of-66", VGPU_FAKE_CTRL_QUEUE_SIZE, -E2BIG },
};

static void chain_case_desc(const struct chain_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(chain_case, chain_cases, chain_case_desc);

/*
 * The virtio spec bounds a descriptor chain, indirect or not, by the size
 * of the queue. A payload whose chain is as long as the queue goes; one
 * piece more and the command fails with -E2BIG before it is queued, the
 * device sees nothing of it, and the queue keeps working.
 */
static void vq_payload_chain_bound(struct kunit *test)
{
	const struct chain_case *c = test->param_value;
	const size_t len = c->pages * PAGE_SIZE;
	u8 *area;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, VIRTIO_GPU_CAPSET_VIRGL2, 1);
	area = vq_scattered(test, c->pages);
	memset(area, 0x5a, len);
	KUNIT_EXPECT_EQ(test, vq_send_payload(t, area, len), c->err);
	KUNIT_ASSERT_TRUE(test, vgt_settle(t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_SUBMIT_3D),
			c->err ? 0 : 1);
	if (!c->err)
		vq_expect_read(t, area, len);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_dma_faults(t->host), 0);

	KUNIT_EXPECT_EQ(test, vq_send_payload(t, area, 2 * PAGE_SIZE), 0);
}

static const struct bad_case bad_sync_cases[] = {
	{ "short", VGPU_FAKE_SHORT_RESPONSE, false },
	{ "wrong-type", VGPU_FAKE_WRONG_TYPE, false },
	{ "used-len-past-buffer", VGPU_FAKE_LONG_USED_LEN, false },
};

KUNIT_ARRAY_PARAM(bad_sync, bad_sync_cases, bad_case_desc);

/*
 * A synchronous command whose answer is malformed ends with -EPROTO and is
 * counted, its response length within its buffer whatever the host
 * claimed; the device keeps working for the next command.
 */
static void vq_malformed_sync(struct kunit *test)
{
	const struct bad_case *c = test->param_value;
	struct virtio_gpu_vbuf *vbuf;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, 0, 0);
	vgpu_fake_host_misbehave(t->host, c->what, 0);
	vbuf = vgt_vbuf_submit(t, CTX, NULL);
	KUNIT_EXPECT_EQ(test, virtio_gpu_wait_vbuf(vbuf, VGT_TIMEOUT), -EPROTO);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, malformed), 1);
	KUNIT_EXPECT_LE(test, vbuf->resp_len, vbuf->resp_size);

	vbuf = vgt_vbuf_submit(t, CTX, NULL);
	KUNIT_EXPECT_EQ(test, virtio_gpu_wait_vbuf(vbuf, VGT_TIMEOUT), 0);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, malformed), 1);
}

/*
 * A synchronous command: queued, notified and waited for; the response is
 * in the buffer with its length.
 */
static void vq_cmd_sync(struct kunit *test)
{
	const struct virtio_gpu_ctrl_hdr *resp;
	struct virtio_gpu_ctx_destroy *cmd;
	struct virtio_gpu_vbuf *vbuf;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, 0, 0);
	vbuf = vgt_vbuf(test, sizeof(*cmd), sizeof(*resp));
	cmd = vbuf->cmd;
	cmd->hdr.type = cpu_to_le32(VIRTIO_GPU_CMD_CTX_DESTROY);
	cmd->hdr.ctx_id = cpu_to_le32(CTX);
	KUNIT_EXPECT_EQ(test, virtio_gpu_cmd_sync(t->vgdev, vbuf), 0);
	resp = vbuf->resp;
	KUNIT_EXPECT_EQ(test, vbuf->resp_len, sizeof(*resp));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(resp->type), VIRTIO_GPU_RESP_OK_NODATA);
	KUNIT_EXPECT_EQ(test, vbuf->error, 0);
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_get_ctx(t->host, CTX, NULL));
}

/*
 * Unfenced commands are answered at once while the fenced ones before them
 * are held: the used ring returns buffers out of submission order, and the
 * driver matches each answer to its own command.
 */
static void vq_out_of_order_answers(struct kunit *test)
{
	struct virtio_gpu_vbuf *fenced, *plain;
	struct virtio_gpu_fence *fence;
	struct vgt *t = vgt_create_3d(test);

	vgt_context(t, CTX, 0, 0);
	vgpu_fake_host_hold(t->host, VGPU_FAKE_GLOBAL);
	fence = vgt_fence(t, 0, 0);
	fenced = vgt_vbuf_submit(t, CTX, fence);
	plain = vgt_vbuf_submit(t, CTX, NULL);

	KUNIT_EXPECT_EQ(test, virtio_gpu_wait_vbuf(plain, VGT_TIMEOUT), 0);
	KUNIT_EXPECT_EQ(test, virtio_gpu_wait_vbuf(fenced, 0), -ETIMEDOUT);
	KUNIT_EXPECT_FALSE(test, vgt_signalled(fence));

	KUNIT_EXPECT_EQ(test, vgt_release(t, VGPU_FAKE_GLOBAL), 1);
	KUNIT_EXPECT_EQ(test, virtio_gpu_wait_vbuf(fenced, VGT_TIMEOUT), 0);
	KUNIT_EXPECT_TRUE(test, vgt_signalled(fence));
	KUNIT_EXPECT_EQ(test, le64_to_cpu(((struct virtio_gpu_ctrl_hdr *)fenced->resp)->fence_id),
			fence->base.seqno);
}

/*
 * A cursor command goes through the cursor queue: the host sees it, and
 * the device returns the buffer with nothing written, as cursor commands
 * have no response. That ends the command without error and is not
 * counted as a malformed response.
 */
static void vq_cursor(struct kunit *test)
{
	struct virtio_gpu_update_cursor *cmd;
	struct virtio_gpu_vbuf *vbuf;
	struct vgt *t = vgt_create_3d(test);

	vbuf = vgt_vbuf(test, sizeof(*cmd), sizeof(struct virtio_gpu_ctrl_hdr));
	cmd = vbuf->cmd;
	cmd->hdr.type = cpu_to_le32(VIRTIO_GPU_CMD_MOVE_CURSOR);
	cmd->pos.x = cpu_to_le32(10);
	cmd->pos.y = cpu_to_le32(20);
	KUNIT_EXPECT_EQ(test, virtio_gpu_queue_cursor(t->vgdev, vbuf), 0);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_sync(t->host));
	flush_work(&t->vgdev->cursorq.dequeue);

	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(t->host, VIRTIO_GPU_CMD_MOVE_CURSOR), 1);
	KUNIT_EXPECT_EQ(test, virtio_gpu_wait_vbuf(vbuf, VGT_TIMEOUT), 0);
	KUNIT_EXPECT_EQ(test, vgt_stat(t, malformed), 0);
}

/* Back-pressure: a control queue of eight descriptors. */
#define BP_QUEUE	8
#define BP_CMDS		12

static const __le32 bp_stream[2] = { cpu_to_le32(0x10), cpu_to_le32(0x20) };

struct bp_env {
	struct vgt *t;
	struct virtio_gpu_fence *f[BP_CMDS];
	int ret[BP_CMDS];
};

static int bp_submit(struct vgt_thread *th)
{
	struct bp_env *e = th->data;
	unsigned int i;

	for (i = 0; i < BP_CMDS; i++) {
		e->ret[i] = virtio_gpu_cmd_submit_3d(th->t->vgdev, CTX, bp_stream,
						     sizeof(bp_stream), e->f[i]);
		atomic_inc(&th->progress);
	}
	return 0;
}

static struct bp_env *bp_setup(struct kunit *test, bool indirect)
{
	struct vgpu_fake_host_config cfg;
	struct bp_env *e;
	unsigned int i;

	vgt_config(&cfg, VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_VIRGL |
		   (indirect ? VGPU_FAKE_F_INDIRECT_DESC : 0));
	cfg.ctrl_queue_size = BP_QUEUE;
	e = kunit_kzalloc(test, sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	e->t = vgt_create(test, &cfg);
	KUNIT_ASSERT_EQ(test, e->t->vgdev->has_indirect, indirect);
	vgt_context(e->t, CTX, 0, 0);
	for (i = 0; i < BP_CMDS; i++) {
		e->f[i] = vgt_fence(e->t, 0, 0);
		e->ret[i] = 1;
	}
	return e;
}

static const bool bp_modes[] = { false, true };

static void bp_mode_desc(const bool *indirect, char *desc)
{
	strscpy(desc, *indirect ? "indirect" : "direct", KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bp_mode, bp_modes, bp_mode_desc);

/*
 * The host stops serving an eight-entry control queue. A submitter thread
 * queues twelve fenced commands: once the queue is full (two commands of
 * three descriptors, or eight with indirect descriptors) it sleeps, having
 * queued exactly what fits, with nothing signalled. When the host serves
 * the queue again, the submitter finishes and every fence signals.
 */
static void vq_backpressure(struct kunit *test)
{
	const bool *indirect = test->param_value;
	unsigned int fit = *indirect ? BP_QUEUE : BP_QUEUE / 3, i;
	struct vgt_thread *th;
	struct bp_env *e;

	e = bp_setup(test, *indirect);
	vgpu_fake_host_hold_queue(e->t->host);
	th = vgt_thread_create(e->t, bp_submit, e);
	vgt_thread_start(th);

	KUNIT_ASSERT_TRUE_MSG(test, vgt_wait_blocked(e->t),
			      "the submitter never waited for room");
	KUNIT_EXPECT_EQ(test, atomic_read(&th->progress), fit);
	KUNIT_EXPECT_FALSE(test, completion_done(&th->done));
	KUNIT_EXPECT_LT(test, e->t->vgdev->ctrlq.vq->num_free, *indirect ? 1 : 3);
	for (i = 0; i < BP_CMDS; i++)
		KUNIT_EXPECT_FALSE(test, vgt_signalled(e->f[i]));

	vgpu_fake_host_release_queue(e->t->host);
	KUNIT_ASSERT_TRUE_MSG(test, vgt_thread_wait(th),
			      "the submitter did not finish after the host caught up");
	KUNIT_ASSERT_TRUE(test, vgt_settle(e->t));
	for (i = 0; i < BP_CMDS; i++) {
		KUNIT_EXPECT_EQ(test, e->ret[i], 0);
		KUNIT_EXPECT_TRUE(test, vgt_signalled(e->f[i]));
		KUNIT_EXPECT_EQ(test, e->f[i]->base.seqno, (u64)i + 1);
		KUNIT_EXPECT_EQ(test, vgt_refs(e->f[i]), 1);
	}
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(e->t->host, VIRTIO_GPU_CMD_SUBMIT_3D),
			BP_CMDS);
}

/*
 * The host takes commands but holds their answers, so the queue fills with
 * commands in flight and the submitter sleeps. While it sleeps, the host
 * completes four of them: the dequeue path runs (it needs no lock the
 * sleeping submitter holds) and signals exactly those four fences. Then the
 * host answers everything and the submitter finishes.
 */
static void vq_dequeue_while_blocked(struct kunit *test)
{
	struct vgt_thread *th;
	struct bp_env *e;
	unsigned int i;

	e = bp_setup(test, true);
	vgpu_fake_host_hold(e->t->host, VGPU_FAKE_GLOBAL);
	th = vgt_thread_create(e->t, bp_submit, e);
	vgt_thread_start(th);

	KUNIT_ASSERT_TRUE(test, vgt_wait_blocked(e->t));
	KUNIT_ASSERT_EQ(test, atomic_read(&th->progress), BP_QUEUE);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(e->t->host));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_parked(e->t->host, VGPU_FAKE_GLOBAL), BP_QUEUE);

	KUNIT_EXPECT_EQ(test, vgt_complete(e->t, VGPU_FAKE_GLOBAL, e->f[3]->base.seqno), 4);
	for (i = 0; i < BP_QUEUE; i++)
		KUNIT_EXPECT_EQ_MSG(test, vgt_signalled(e->f[i]), i < 4, "fence %u", i);

	KUNIT_ASSERT_TRUE(test, vgt_thread_wait(th));
	KUNIT_ASSERT_TRUE(test, vgt_settle(e->t));
	vgt_release(e->t, VGPU_FAKE_GLOBAL);
	for (i = 0; i < BP_CMDS; i++) {
		KUNIT_EXPECT_EQ(test, e->ret[i], 0);
		KUNIT_EXPECT_TRUE(test, vgt_signalled(e->f[i]));
		KUNIT_EXPECT_EQ(test, e->f[i]->base.error, 0);
	}
}

struct vbuf_size_case {
	const char *name;
	u32 cmd_size;
	u32 resp_size;
	bool ok;
};

static const struct vbuf_size_case vbuf_size_cases[] = {
	{ "at-bound", 32, VIRTIO_GPU_VBUF_MAX_SIZE - 32, true },
	{ "no-response", 32, 0, true },
	{ "above-bound", 32, VIRTIO_GPU_VBUF_MAX_SIZE - 31 },
	/* Aligned up to 8 in 32 bits, 0xfffffffc is 0. */
	{ "cmd-align-wraps", 0xfffffffc, 24 },
	/* The sum is 16 in 32 bits. */
	{ "sum-wraps", 32, 0xfffffff0 },
	{ "resp-u32-max", 32, U32_MAX },
};

static void vbuf_size_desc(const struct vbuf_size_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(vbuf_size, vbuf_size_cases, vbuf_size_desc);

/*
 * A command buffer is only made when command and response fit in
 * VIRTIO_GPU_VBUF_MAX_SIZE bytes: sizes whose sum, or the command's
 * alignment, wraps in 32 bits get no buffer instead of one smaller than
 * they are; a buffer made has room for both.
 */
static void vq_vbuf_alloc_size_wraps(struct kunit *test)
{
	const struct vbuf_size_case *c = test->param_value;
	struct virtio_gpu_vbuf *vbuf;

	vbuf = virtio_gpu_vbuf_alloc(c->cmd_size, c->resp_size);
	KUNIT_EXPECT_EQ(test, !!vbuf, c->ok);
	if (!vbuf)
		return;
	if (c->ok) {
		KUNIT_EXPECT_EQ(test, vbuf->cmd_size, c->cmd_size);
		KUNIT_EXPECT_EQ(test, vbuf->resp_size, c->resp_size);
		KUNIT_EXPECT_PTR_EQ(test, vbuf->resp,
				    (void *)(vbuf->buf + ALIGN(c->cmd_size, 8)));
		/* KASAN reports a buffer shorter than it says. */
		memset(vbuf->cmd, 0xa5, vbuf->cmd_size);
		memset(vbuf->resp, 0x5a, vbuf->resp_size);
	}
	virtio_gpu_vbuf_put(vbuf);
}

static struct kunit_case vq_cases[] = {
	KUNIT_CASE_PARAM(vq_resp_to_errno, errno_case_gen_params),
	KUNIT_CASE_PARAM(vq_error_response, host_error_gen_params),
	KUNIT_CASE(vq_error_answer_waits_for_earlier),
	KUNIT_CASE_PARAM(vq_bad_answer, bad_case_gen_params),
	KUNIT_CASE(vq_vmalloc_payload_by_page),
	KUNIT_CASE(vq_vmalloc_payload_merges_runs),
	KUNIT_CASE_PARAM(vq_payload_chain_bound, chain_case_gen_params),
	KUNIT_CASE_PARAM(vq_malformed_sync, bad_sync_gen_params),
	KUNIT_CASE_PARAM(vq_vbuf_alloc_size_wraps, vbuf_size_gen_params),
	KUNIT_CASE(vq_cmd_sync),
	KUNIT_CASE(vq_out_of_order_answers),
	KUNIT_CASE(vq_cursor),
	KUNIT_CASE_PARAM(vq_backpressure, bp_mode_gen_params),
	KUNIT_CASE(vq_dequeue_while_blocked),
	{}
};

VGPU_FAKE_SUITES(vq_suite, "virtio_gpu_vq", vq_cases);
