// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_blob: RESOURCE_CREATE_BLOB, guest and
 * host3d blobs, their arguments and their command streams.
 */

#include <kunit/test.h>

#include "vgpu_uapi.h"

/* Features of a 3D device with blobs but no resource UUIDs. */
#define R_F_NO_UUID	(VGT_FEATURES_3D | VGPU_FAKE_F_RESOURCE_BLOB)

/**
 * struct r_blobp - a RESOURCE_CREATE_BLOB call
 * @desc: its name
 * @features: the device
 * @mem: blob_mem
 * @flags: blob_flags
 * @size: size
 * @blob_id: blob id
 * @cmd_size: bytes of command stream
 * @err: expected result
 */
struct r_blobp {
	const char *desc;
	u64 features;
	u32 mem, flags;
	u64 size, blob_id;
	u32 cmd_size;
	int err;
};

#define R_MAPPABLE	VIRTGPU_BLOB_FLAG_USE_MAPPABLE
#define R_SHAREABLE	VIRTGPU_BLOB_FLAG_USE_SHAREABLE
#define R_CROSS		VIRTGPU_BLOB_FLAG_USE_CROSS_DEVICE

static const struct r_blobp r_blob_guest_ok[] = {
	{ "no-flags", VU_F_ALL, VIRTGPU_BLOB_MEM_GUEST, 0, PAGE_SIZE },
	{ "mappable", VU_F_ALL, VIRTGPU_BLOB_MEM_GUEST, R_MAPPABLE, 2 * PAGE_SIZE },
	{ "shareable", VU_F_ALL, VIRTGPU_BLOB_MEM_GUEST, R_SHAREABLE, PAGE_SIZE },
	{ "cross-device", VU_F_ALL, VIRTGPU_BLOB_MEM_GUEST, R_CROSS, PAGE_SIZE },
	{ "all-flags", VU_F_ALL, VIRTGPU_BLOB_MEM_GUEST, R_MAPPABLE | R_SHAREABLE | R_CROSS,
	  3 * PAGE_SIZE },
	{ "2d-device", VU_F_2D | VGPU_FAKE_F_RESOURCE_BLOB, VIRTGPU_BLOB_MEM_GUEST, R_MAPPABLE,
	  PAGE_SIZE },
};

static const struct r_blobp r_blob_bad[] = {
	{ "unknown-flag", VU_F_ALL, VIRTGPU_BLOB_MEM_GUEST, 8, PAGE_SIZE, 0, 0, -EINVAL },
	{ "mem-0", VU_F_ALL, 0, 0, PAGE_SIZE, 0, 0, -EINVAL },
	{ "mem-4", VU_F_ALL, 4, 0, PAGE_SIZE, 0, 0, -EINVAL },
	{ "size-0-guest", VU_F_ALL, VIRTGPU_BLOB_MEM_GUEST, 0, 0, 0, 0, -EINVAL },
	{ "size-0-host3d", VU_F_ALL, VIRTGPU_BLOB_MEM_HOST3D, 0, 0, 1, 0, -EINVAL },
	{ "guest-blob-id", VU_F_ALL, VIRTGPU_BLOB_MEM_GUEST, 0, PAGE_SIZE, 5, 0, -EINVAL },
	{ "guest-cmd", VU_F_ALL, VIRTGPU_BLOB_MEM_GUEST, 0, PAGE_SIZE, 0, 16, -EINVAL },
	{ "host3d-cmd-not-dwords", VU_F_ALL, VIRTGPU_BLOB_MEM_HOST3D, 0, PAGE_SIZE, 1, 6,
	  -EINVAL },
	{ "no-blob-feature", VGT_FEATURES_3D, VIRTGPU_BLOB_MEM_GUEST, 0, PAGE_SIZE, 0, 0,
	  -EINVAL },
	{ "cross-device-no-uuid", R_F_NO_UUID, VIRTGPU_BLOB_MEM_GUEST, R_CROSS, PAGE_SIZE, 0, 0,
	  -EINVAL },
	{ "host3d-no-3d", VU_F_2D | VGPU_FAKE_F_RESOURCE_BLOB, VIRTGPU_BLOB_MEM_HOST3D, 0,
	  PAGE_SIZE, 1, 0, -EINVAL },
	{ "host3d-guest-no-3d", VU_F_2D | VGPU_FAKE_F_RESOURCE_BLOB,
	  VIRTGPU_BLOB_MEM_HOST3D_GUEST, 0, PAGE_SIZE, 1, 0, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(r_blob_guest_ok, r_blob_guest_ok, desc);
KUNIT_ARRAY_PARAM_DESC(r_blob_bad, r_blob_bad, desc);

static int r_blob_call(struct vu *u, struct file *f, const struct r_blobp *p,
		       struct drm_virtgpu_resource_create_blob *b)
{
	static const u32 cmds[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	memset(b, 0, sizeof(*b));
	b->blob_mem = p->mem;
	b->blob_flags = p->flags;
	b->size = p->size;
	b->blob_id = p->blob_id;
	b->cmd_size = p->cmd_size;
	if (p->cmd_size)
		b->cmd = vu_uptr(vu_ucopy(u, cmds, sizeof(cmds)));
	return vu_resource_create_blob(u, f, b);
}

/*
 * A guest blob: the host gets RESOURCE_CREATE_BLOB with the flags, the
 * size and the pages inline; RESOURCE_INFO reports it as a guest blob.
 */
static void virtio_gpu_blob_guest_created(struct kunit *test)
{
	const struct r_blobp *p = test->param_value;
	struct vu *u = vu_create_features(test, p->features);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create_blob b;
	struct drm_virtgpu_resource_info ri;
	struct vgpu_fake_res_info info;

	KUNIT_ASSERT_EQ(test, r_blob_call(u, f, p, &b), 0);
	vu_host_res(u, b.res_handle, &info);
	KUNIT_EXPECT_EQ(test, info.kind, VGPU_FAKE_RES_BLOB);
	KUNIT_EXPECT_EQ(test, info.blob_mem, VIRTIO_GPU_BLOB_MEM_GUEST);
	KUNIT_EXPECT_EQ(test, info.blob_flags, p->flags);
	KUNIT_EXPECT_EQ(test, info.size, p->size);
	KUNIT_EXPECT_EQ(test, info.backing_bytes, p->size);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING), 0);
	KUNIT_ASSERT_EQ(test, vu_resource_info(u, f, b.bo_handle, &ri), 0);
	KUNIT_EXPECT_EQ(test, ri.blob_mem, VIRTGPU_BLOB_MEM_GUEST);
	KUNIT_EXPECT_EQ(test, ri.size, p->size);
	KUNIT_EXPECT_EQ(test, ri.res_handle, b.res_handle);
}

/* Invalid blob arguments are -EINVAL and reach the host not at all. */
static void virtio_gpu_blob_invalid_args(struct kunit *test)
{
	const struct r_blobp *p = test->param_value;
	struct vu *u = vu_create_features(test, p->features);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create_blob b;

	KUNIT_EXPECT_EQ(test, r_blob_call(u, f, p, &b), p->err);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(u->t->host), 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 0);
}

/*
 * A host3d blob is created in the file's context with its blob id, without
 * guest pages; HOST3D_GUEST has pages. RESOURCE_INFO reports the kind.
 */
static void virtio_gpu_blob_host3d_created(struct kunit *test)
{
	static const u32 mems[] = { VIRTGPU_BLOB_MEM_HOST3D, VIRTGPU_BLOB_MEM_HOST3D_GUEST };
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct virtio_gpu_resource_create_blob c;
	struct drm_virtgpu_resource_create_blob b;
	struct drm_virtgpu_resource_info ri;
	struct vgpu_fake_res_info info;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(mems); i++) {
		memset(&b, 0, sizeof(b));
		b.blob_mem = mems[i];
		b.blob_flags = R_MAPPABLE | R_SHAREABLE;
		b.size = 2 * PAGE_SIZE;
		b.blob_id = 0x1234500 + i;
		KUNIT_ASSERT_EQ(test, vu_resource_create_blob(u, f, &b), 0);
		vu_host_res(u, b.res_handle, &info);
		KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host,
							      VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB,
							      &c, sizeof(c)), sizeof(c));
		KUNIT_EXPECT_EQ(test, le32_to_cpu(c.hdr.ctx_id), vu_ctx_id(f));
		KUNIT_EXPECT_EQ(test, le64_to_cpu(c.blob_id), 0x1234500 + i);
		KUNIT_EXPECT_EQ(test, info.blob_mem, mems[i]);
		KUNIT_EXPECT_EQ(test, info.blob_id, 0x1234500 + i);
		KUNIT_EXPECT_EQ(test, info.size, 2 * PAGE_SIZE);
		KUNIT_EXPECT_EQ(test, info.backing_bytes,
				mems[i] == VIRTGPU_BLOB_MEM_HOST3D ? 0 : 2 * PAGE_SIZE);
		KUNIT_ASSERT_EQ(test, vu_resource_info(u, f, b.bo_handle, &ri), 0);
		KUNIT_EXPECT_EQ(test, ri.blob_mem, mems[i]);
	}
}

/*
 * The command stream of a host3d blob goes first: with the next command
 * failed on the host, the stream's SUBMIT_3D takes the failure and the
 * blob is still created.
 */
static void virtio_gpu_blob_cmd_stream_goes_first(struct kunit *test)
{
	static const struct r_blobp p = {
		"", VU_F_ALL, VIRTGPU_BLOB_MEM_HOST3D, 0, PAGE_SIZE, 11, 32, 0
	};
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create_blob b;
	struct virtio_gpu_cmd_submit s;

	KUNIT_ASSERT_EQ(test, vu_context_init(u, f, NULL, 0), 0);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	vgpu_fake_host_fail_next(u->t->host, 0, VIRTIO_GPU_RESP_ERR_UNSPEC);
	KUNIT_ASSERT_EQ(test, r_blob_call(u, f, &p, &b), 0);
	vu_host_res(u, b.res_handle, NULL);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 1);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host, VIRTIO_GPU_CMD_SUBMIT_3D,
						      &s, sizeof(s)), sizeof(s));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(s.size), 32);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(s.hdr.ctx_id), vu_ctx_id(f));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_responses(u->t->host, VIRTIO_GPU_RESP_ERR_UNSPEC), 1);
}

/* A command stream at an unreadable address is -EFAULT; no blob. */
static void virtio_gpu_blob_cmd_stream_efault(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create_blob b = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D, .size = PAGE_SIZE, .blob_id = 1,
		.cmd_size = 16,
	};

	b.cmd = vu_uptr(vu_ubad(u));
	KUNIT_EXPECT_EQ(test, vu_resource_create_blob(u, f, &b), -EFAULT);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(u->t->host), 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 0);
}

/* Closing a blob's handle unrefs its host resource. */
static void virtio_gpu_blob_close_unrefs_host(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create_blob b = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D, .size = PAGE_SIZE, .blob_id = 2,
	};

	KUNIT_ASSERT_EQ(test, vu_resource_create_blob(u, f, &b), 0);
	vu_host_res(u, b.res_handle, NULL);
	KUNIT_ASSERT_EQ(test, vu_gem_close(u, f, b.bo_handle), 0);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_wait_cmds(u->t->host,
							 VIRTIO_GPU_CMD_RESOURCE_UNREF, 1));
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_get_res(u->t->host, b.res_handle, NULL));
}

static struct kunit_case r_blob_cases[] = {
	KUNIT_CASE_PARAM(virtio_gpu_blob_guest_created, r_blob_guest_ok_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_blob_invalid_args, r_blob_bad_gen_params),
	KUNIT_CASE(virtio_gpu_blob_host3d_created),
	KUNIT_CASE(virtio_gpu_blob_cmd_stream_goes_first),
	KUNIT_CASE(virtio_gpu_blob_cmd_stream_efault),
	KUNIT_CASE(virtio_gpu_blob_close_unrefs_host),
	{}
};

VGPU_FAKE_SUITES(r_blob_suite, "virtio_gpu_uapi_blob", r_blob_cases);
