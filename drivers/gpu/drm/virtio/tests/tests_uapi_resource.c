// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_resource: GEM objects and their host
 * resources made with RESOURCE_CREATE, looked at with RESOURCE_INFO and
 * MAP, and freed on close, through DRM files on the fake device.
 */

#include <kunit/test.h>

#include "vgpu_uapi.h"

static int r_map(struct vu *u, struct file *f, u32 handle, u64 *offset)
{
	struct drm_virtgpu_map m = { .handle = handle };
	int ret = vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_MAP, &m);

	*offset = m.offset;
	return ret;
}

/*
 * Without 3D, RESOURCE_CREATE makes a 2D resource with the format and
 * size asked for and attaches the object's pages; no context is involved.
 */
static void virtio_gpu_resource_create_2d_attaches_pages(struct kunit *test)
{
	struct vu *u = vu_create_features(test, VU_F_2D);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create rc;
	struct virtio_gpu_resource_create_2d c2;
	struct vgpu_fake_res_info info;

	vu_rc_2d(&rc);
	rc.width = 16;
	rc.height = 8;
	rc.format = VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM;
	KUNIT_ASSERT_EQ(test, vu_resource_create(u, f, &rc), 0);
	KUNIT_EXPECT_NE(test, rc.bo_handle, 0);
	vu_host_res(u, rc.res_handle, &info);
	KUNIT_EXPECT_EQ(test, info.kind, VGPU_FAKE_RES_2D);
	KUNIT_EXPECT_EQ(test, info.format, VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM);
	KUNIT_EXPECT_EQ(test, info.width, 16);
	KUNIT_EXPECT_EQ(test, info.height, 8);
	KUNIT_EXPECT_EQ(test, info.backing_bytes, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D,
						      &c2, sizeof(c2)), sizeof(c2));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c2.resource_id), rc.res_handle);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_RESOURCE_CREATE_3D), 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(u->t->host), 0);
}

/**
 * struct r_rc - RESOURCE_CREATE arguments that differ from vu_rc_2d()
 * @desc: their name
 * @target: target
 * @depth: depth
 * @array_size: array size
 * @last_level: last mip level
 * @nr_samples: samples
 */
struct r_rc {
	const char *desc;
	u32 target, depth, array_size, last_level, nr_samples;
};

static const struct r_rc r_rc_3d_only[] = {
	{ "depth-2", 2, 2, 1, 0, 0 },
	{ "array-2", 2, 1, 2, 0, 0 },
	{ "last-level-2", 2, 1, 1, 2, 0 },
	{ "samples-4", 2, 1, 1, 0, 4 },
	{ "target-buffer", 0, 1, 1, 0, 0 },
	{ "target-3d", 3, 1, 1, 0, 0 },
};

static const struct r_rc r_rc_2d_ok[] = {
	{ "depth-0", 2, 0, 1, 0, 0 },
	{ "array-0", 2, 1, 0, 0, 0 },
	{ "last-level-1", 2, 1, 1, 1, 0 },
	{ "samples-1", 2, 1, 1, 0, 1 },
};

KUNIT_ARRAY_PARAM_DESC(r_rc_3d_only, r_rc_3d_only, desc);
KUNIT_ARRAY_PARAM_DESC(r_rc_2d_ok, r_rc_2d_ok, desc);

static void r_rc_apply(struct drm_virtgpu_resource_create *rc, const struct r_rc *p)
{
	vu_rc_2d(rc);
	rc->target = p->target;
	rc->depth = p->depth;
	rc->array_size = p->array_size;
	rc->last_level = p->last_level;
	rc->nr_samples = p->nr_samples;
}

/* Without 3D, arguments only 3D textures have are -EINVAL. */
static void virtio_gpu_resource_create_2d_rejects_3d_args(struct kunit *test)
{
	struct vu *u = vu_create_features(test, VU_F_2D);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create rc;

	r_rc_apply(&rc, test->param_value);
	KUNIT_EXPECT_EQ(test, vu_resource_create(u, f, &rc), -EINVAL);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(u->t->host), 0);
}

/* Without 3D, the plain-2D spellings of depth, samples and levels are fine. */
static void virtio_gpu_resource_create_2d_plain_args_ok(struct kunit *test)
{
	struct vu *u = vu_create_features(test, VU_F_2D);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create rc;

	r_rc_apply(&rc, test->param_value);
	KUNIT_EXPECT_EQ(test, vu_resource_create(u, f, &rc), 0);
	vu_host_res(u, rc.res_handle, NULL);
}

/* With 3D, the same arguments make a 3D resource. */
static void virtio_gpu_resource_create_3d_takes_3d_args(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create rc;

	r_rc_apply(&rc, test->param_value);
	KUNIT_EXPECT_EQ(test, vu_resource_create(u, f, &rc), 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_RESOURCE_CREATE_3D), 1);
}

/*
 * With 3D, RESOURCE_CREATE sends RESOURCE_CREATE_3D with every argument
 * in the file's context, and attaches the resource to that context.
 */
static void virtio_gpu_resource_create_3d_in_context(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create rc = {
		.target = 3, .format = 67, .bind = 0x10a, .width = 17, .height = 9,
		.depth = 5, .array_size = 1, .last_level = 3, .nr_samples = 0,
		.flags = 0x4, .size = 3 * PAGE_SIZE,
	};
	struct virtio_gpu_resource_create_3d c3;
	struct virtio_gpu_ctx_resource ca;
	struct vgpu_fake_res_info info;
	struct vgpu_fake_ctx_info ctx;

	KUNIT_ASSERT_EQ(test, vu_resource_create(u, f, &rc), 0);
	vu_host_res(u, rc.res_handle, &info);
	KUNIT_EXPECT_EQ(test, info.kind, VGPU_FAKE_RES_3D);
	KUNIT_EXPECT_EQ(test, info.backing_bytes, 3 * PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host, VIRTIO_GPU_CMD_RESOURCE_CREATE_3D,
						      &c3, sizeof(c3)), sizeof(c3));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c3.hdr.ctx_id), vu_ctx_id(f));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c3.resource_id), rc.res_handle);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c3.target), 3);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c3.format), 67);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c3.bind), 0x10a);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c3.width), 17);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c3.height), 9);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c3.depth), 5);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c3.array_size), 1);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c3.last_level), 3);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c3.nr_samples), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c3.flags), 0x4);

	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host,
						      VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE,
						      &ca, sizeof(ca)), sizeof(ca));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(ca.hdr.ctx_id), vu_ctx_id(f));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(ca.resource_id), rc.res_handle);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_get_ctx(u->t->host, vu_ctx_id(f), &ctx));
	KUNIT_EXPECT_EQ(test, ctx.num_attached, 1);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D), 0);
}

/**
 * struct r_size - a requested size and the object size it gives
 * @desc: its name
 * @size: requested
 * @want: object size
 */
struct r_size {
	const char *desc;
	u32 size;
	u64 want;
};

static const struct r_size r_sizes[] = {
	{ "size-0", 0, PAGE_SIZE },
	{ "size-1", 1, PAGE_SIZE },
	{ "one-page", PAGE_SIZE, PAGE_SIZE },
	{ "page-plus-1", PAGE_SIZE + 1, 2 * PAGE_SIZE },
};

KUNIT_ARRAY_PARAM_DESC(r_sizes, r_sizes, desc);

/* RESOURCE_INFO reports the page-aligned size, the resource id, no blob. */
static void virtio_gpu_resource_info_size_and_id(struct kunit *test)
{
	const struct r_size *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create rc;
	struct drm_virtgpu_resource_info ri;

	vu_rc_2d(&rc);
	rc.size = p->size;
	KUNIT_ASSERT_EQ(test, vu_resource_create(u, f, &rc), 0);
	KUNIT_ASSERT_EQ(test, vu_resource_info(u, f, rc.bo_handle, &ri), 0);
	KUNIT_EXPECT_EQ(test, ri.size, p->want);
	KUNIT_EXPECT_EQ(test, ri.res_handle, rc.res_handle);
	KUNIT_EXPECT_EQ(test, ri.blob_mem, 0);
}

/* RESOURCE_INFO and MAP of handles that do not exist are -ENOENT. */
static void virtio_gpu_resource_info_map_bad_handle(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_info ri;
	u32 bo = vu_bo(u, f);
	u64 off;

	KUNIT_EXPECT_EQ(test, vu_resource_info(u, f, 0, &ri), -ENOENT);
	KUNIT_EXPECT_EQ(test, vu_resource_info(u, f, bo + 1, &ri), -ENOENT);
	KUNIT_EXPECT_EQ(test, r_map(u, f, 0, &off), -ENOENT);
	KUNIT_EXPECT_EQ(test, r_map(u, f, bo + 100, &off), -ENOENT);
}

/* MAP gives each object a stable, distinct fake offset for mmap. */
static void virtio_gpu_resource_map_offset_stable(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	u32 a = vu_bo(u, f), b = vu_bo(u, f);
	u64 oa, oa2, ob;

	KUNIT_ASSERT_EQ(test, r_map(u, f, a, &oa), 0);
	KUNIT_ASSERT_EQ(test, r_map(u, f, a, &oa2), 0);
	KUNIT_ASSERT_EQ(test, r_map(u, f, b, &ob), 0);
	KUNIT_EXPECT_NE(test, oa, 0);
	KUNIT_EXPECT_EQ(test, oa, oa2);
	KUNIT_EXPECT_NE(test, oa, ob);
	KUNIT_EXPECT_EQ(test, oa & ~PAGE_MASK, 0);
}

/* A host3d blob has no guest pages: MAP is -EINVAL; a guest blob maps. */
static void virtio_gpu_resource_map_guest_blob_only(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create_blob h = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = PAGE_SIZE, .blob_id = 3,
	};
	struct drm_virtgpu_resource_create_blob g = {
		.blob_mem = VIRTGPU_BLOB_MEM_GUEST,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = PAGE_SIZE,
	};
	u64 off;

	KUNIT_ASSERT_EQ(test, vu_resource_create_blob(u, f, &h), 0);
	KUNIT_ASSERT_EQ(test, vu_resource_create_blob(u, f, &g), 0);
	KUNIT_EXPECT_EQ(test, r_map(u, f, h.bo_handle, &off), -EINVAL);
	KUNIT_EXPECT_EQ(test, r_map(u, f, g.bo_handle, &off), 0);
	KUNIT_EXPECT_NE(test, off, 0);
}

/* Handles belong to their file: another file's lookups are -ENOENT. */
static void virtio_gpu_resource_handles_per_file(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u), *g = vu_open(u);
	struct drm_virtgpu_3d_transfer_to_host t = { .box = { .w = 1, .h = 1, .d = 1 } };
	struct drm_virtgpu_resource_info ri;
	u32 bo = vu_bo(u, f);
	u64 off;

	/* Make sure @g has no object of its own with that handle. */
	KUNIT_EXPECT_EQ(test, vu_resource_info(u, g, bo, &ri), -ENOENT);
	KUNIT_EXPECT_EQ(test, r_map(u, g, bo, &off), -ENOENT);
	KUNIT_EXPECT_EQ(test, vu_wait(u, g, bo, VIRTGPU_WAIT_NOWAIT), -ENOENT);
	t.bo_handle = bo;
	KUNIT_EXPECT_EQ(test, vu_ioctl(u, g, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &t), -ENOENT);
	KUNIT_EXPECT_EQ(test, vu_gem_close(u, g, bo), -EINVAL);
	KUNIT_EXPECT_EQ(test, vu_resource_info(u, f, bo, &ri), 0);
}

/*
 * Closing the last handle frees the object: the host gets RESOURCE_UNREF
 * for it (and a 3D context a DETACH first) and the handle is gone.
 */
static void virtio_gpu_resource_close_unrefs_host(struct kunit *test)
{
	const struct vu_dev *d = test->param_value;
	struct vu *u = vu_create_features(test, d->features);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create rc;
	struct drm_virtgpu_resource_info ri;
	struct virtio_gpu_resource_unref un;
	bool is3d = d->features & VGPU_FAKE_F_VIRGL;

	vu_rc_2d(&rc);
	KUNIT_ASSERT_EQ(test, vu_resource_create(u, f, &rc), 0);
	vu_host_res(u, rc.res_handle, NULL);
	KUNIT_ASSERT_EQ(test, vu_gem_close(u, f, rc.bo_handle), 0);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_wait_cmds(u->t->host,
							 VIRTIO_GPU_CMD_RESOURCE_UNREF, 1));
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host, VIRTIO_GPU_CMD_RESOURCE_UNREF,
						      &un, sizeof(un)), sizeof(un));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(un.resource_id), rc.res_handle);
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_get_res(u->t->host, rc.res_handle, NULL));
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_CTX_DETACH_RESOURCE), is3d ? 1 : 0);
	KUNIT_EXPECT_EQ(test, vu_resource_info(u, f, rc.bo_handle, &ri), -ENOENT);
	KUNIT_EXPECT_EQ(test, vu_gem_close(u, f, rc.bo_handle), -EINVAL);
}

/* Resource ids are unique and non-zero across files, and match the host. */
static void virtio_gpu_resource_ids_unique(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f[2] = { vu_open(u), vu_open(u) };
	struct drm_virtgpu_resource_create rc;
	u32 ids[16];
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(ids); i++) {
		vu_rc_2d(&rc);
		KUNIT_ASSERT_EQ(test, vu_resource_create(u, f[i & 1], &rc), 0);
		ids[i] = rc.res_handle;
		KUNIT_EXPECT_NE(test, ids[i], 0);
		for (j = 0; j < i; j++)
			KUNIT_EXPECT_NE(test, ids[i], ids[j]);
	}
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(u->t->host), ARRAY_SIZE(ids));
	for (i = 0; i < ARRAY_SIZE(ids); i++)
		KUNIT_EXPECT_TRUE(test, vgpu_fake_host_get_res(u->t->host, ids[i], NULL));
}

static struct kunit_case r_resource_cases[] = {
	KUNIT_CASE(virtio_gpu_resource_create_2d_attaches_pages),
	KUNIT_CASE_PARAM(virtio_gpu_resource_create_2d_rejects_3d_args, r_rc_3d_only_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_resource_create_2d_plain_args_ok, r_rc_2d_ok_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_resource_create_3d_takes_3d_args, r_rc_3d_only_gen_params),
	KUNIT_CASE(virtio_gpu_resource_create_3d_in_context),
	KUNIT_CASE_PARAM(virtio_gpu_resource_info_size_and_id, r_sizes_gen_params),
	KUNIT_CASE(virtio_gpu_resource_info_map_bad_handle),
	KUNIT_CASE(virtio_gpu_resource_map_offset_stable),
	KUNIT_CASE(virtio_gpu_resource_map_guest_blob_only),
	KUNIT_CASE(virtio_gpu_resource_handles_per_file),
	KUNIT_CASE_PARAM(virtio_gpu_resource_close_unrefs_host, vu_2d_3d_gen_params),
	KUNIT_CASE(virtio_gpu_resource_ids_unique),
	{}
};

VGPU_FAKE_SUITES(r_resource_suite, "virtio_gpu_uapi_resource", r_resource_cases);
