// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suites virtio_gpu_uapi_resource, virtio_gpu_uapi_transfer,
 * virtio_gpu_uapi_wait, virtio_gpu_uapi_blob and virtio_gpu_uapi_dumb: GEM
 * objects and their host resources, through DRM files on the fake device.
 */

#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include <drm/drm.h>

#include "vgpu_uapi.h"

/* Features of a 3D device with blobs but no resource UUIDs. */
#define R_F_NO_UUID	(VGT_FEATURES_3D | VGPU_FAKE_F_RESOURCE_BLOB)

/**
 * struct r_dev - a named device configuration
 * @desc: its name
 * @features: offered features
 */
struct r_dev {
	const char *desc;
	u64 features;
};

static const struct r_dev r_devs[] = {
	{ "2d", VU_F_2D },
	{ "3d", VU_F_ALL },
};

KUNIT_ARRAY_PARAM_DESC(r_devs, r_devs, desc);

/* The host's view of resource @res_id, which must exist. */
static void r_host_res(struct vu *u, u32 res_id, struct vgpu_fake_res_info *info)
{
	KUNIT_ASSERT_TRUE(u->test, vgt_settle(u->t));
	KUNIT_ASSERT_TRUE_MSG(u->test, vgpu_fake_host_get_res(u->t->host, res_id, info),
			      "the host has no resource %u", res_id);
}

static unsigned int r_count(struct vu *u, u32 type)
{
	KUNIT_ASSERT_TRUE(u->test, vgt_settle(u->t));
	return vgpu_fake_host_cmd_count(u->t->host, type);
}

static int r_info(struct vu *u, struct file *f, u32 handle,
		  struct drm_virtgpu_resource_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->bo_handle = handle;
	return vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, ri);
}

static int r_map(struct vu *u, struct file *f, u32 handle, u64 *offset)
{
	struct drm_virtgpu_map m = { .handle = handle };
	int ret = vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_MAP, &m);

	*offset = m.offset;
	return ret;
}

static int r_gem_close(struct vu *u, struct file *f, u32 handle)
{
	struct drm_gem_close c = { .handle = handle };

	return vu_ioctl(u, f, DRM_IOCTL_GEM_CLOSE, &c);
}

static int r_blob(struct vu *u, struct file *f, struct drm_virtgpu_resource_create_blob *b)
{
	return vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, b);
}

/* ---- virtio_gpu_uapi_resource ---- */

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
	r_host_res(u, rc.res_handle, &info);
	KUNIT_EXPECT_EQ(test, info.kind, VGPU_FAKE_RES_2D);
	KUNIT_EXPECT_EQ(test, info.format, VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM);
	KUNIT_EXPECT_EQ(test, info.width, 16);
	KUNIT_EXPECT_EQ(test, info.height, 8);
	KUNIT_EXPECT_EQ(test, info.backing_bytes, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D,
						      &c2, sizeof(c2)), sizeof(c2));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c2.resource_id), rc.res_handle);
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_RESOURCE_CREATE_3D), 0);
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE), 0);
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
	r_host_res(u, rc.res_handle, NULL);
}

/* With 3D, the same arguments make a 3D resource. */
static void virtio_gpu_resource_create_3d_takes_3d_args(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create rc;

	r_rc_apply(&rc, test->param_value);
	KUNIT_EXPECT_EQ(test, vu_resource_create(u, f, &rc), 0);
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_RESOURCE_CREATE_3D), 1);
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
	r_host_res(u, rc.res_handle, &info);
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
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D), 0);
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
	KUNIT_ASSERT_EQ(test, r_info(u, f, rc.bo_handle, &ri), 0);
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

	KUNIT_EXPECT_EQ(test, r_info(u, f, 0, &ri), -ENOENT);
	KUNIT_EXPECT_EQ(test, r_info(u, f, bo + 1, &ri), -ENOENT);
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

	KUNIT_ASSERT_EQ(test, r_blob(u, f, &h), 0);
	KUNIT_ASSERT_EQ(test, r_blob(u, f, &g), 0);
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
	KUNIT_EXPECT_EQ(test, r_info(u, g, bo, &ri), -ENOENT);
	KUNIT_EXPECT_EQ(test, r_map(u, g, bo, &off), -ENOENT);
	KUNIT_EXPECT_EQ(test, vu_wait(u, g, bo, VIRTGPU_WAIT_NOWAIT), -ENOENT);
	t.bo_handle = bo;
	KUNIT_EXPECT_EQ(test, vu_ioctl(u, g, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &t), -ENOENT);
	KUNIT_EXPECT_EQ(test, r_gem_close(u, g, bo), -EINVAL);
	KUNIT_EXPECT_EQ(test, r_info(u, f, bo, &ri), 0);
}

/*
 * Closing the last handle frees the object: the host gets RESOURCE_UNREF
 * for it (and a 3D context a DETACH first) and the handle is gone.
 */
static void virtio_gpu_resource_close_unrefs_host(struct kunit *test)
{
	const struct r_dev *d = test->param_value;
	struct vu *u = vu_create_features(test, d->features);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create rc;
	struct drm_virtgpu_resource_info ri;
	struct virtio_gpu_resource_unref un;
	bool is3d = d->features & VGPU_FAKE_F_VIRGL;

	vu_rc_2d(&rc);
	KUNIT_ASSERT_EQ(test, vu_resource_create(u, f, &rc), 0);
	r_host_res(u, rc.res_handle, NULL);
	KUNIT_ASSERT_EQ(test, r_gem_close(u, f, rc.bo_handle), 0);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_wait_cmds(u->t->host,
							 VIRTIO_GPU_CMD_RESOURCE_UNREF, 1));
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host, VIRTIO_GPU_CMD_RESOURCE_UNREF,
						      &un, sizeof(un)), sizeof(un));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(un.resource_id), rc.res_handle);
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_get_res(u->t->host, rc.res_handle, NULL));
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_CTX_DETACH_RESOURCE), is3d ? 1 : 0);
	KUNIT_EXPECT_EQ(test, r_info(u, f, rc.bo_handle, &ri), -ENOENT);
	KUNIT_EXPECT_EQ(test, r_gem_close(u, f, rc.bo_handle), -EINVAL);
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
	KUNIT_CASE_PARAM(virtio_gpu_resource_close_unrefs_host, r_devs_gen_params),
	KUNIT_CASE(virtio_gpu_resource_ids_unique),
	{}
};

static struct kunit_suite r_resource_suite = {
	.name = "virtio_gpu_uapi_resource",
	.test_cases = r_resource_cases,
};

/* ---- virtio_gpu_uapi_transfer ---- */

static int r_to_host(struct vu *u, struct file *f, struct drm_virtgpu_3d_transfer_to_host *t)
{
	return vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, t);
}

static int r_from_host(struct vu *u, struct file *f,
		       struct drm_virtgpu_3d_transfer_from_host *t)
{
	return vu_ioctl(u, f, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, t);
}

/* Without 3D, TRANSFER_TO_HOST sends TRANSFER_TO_HOST_2D with the box. */
static void virtio_gpu_transfer_to_host_2d_box(struct kunit *test)
{
	struct vu *u = vu_create_features(test, VU_F_2D);
	struct file *f = vu_open(u);
	struct drm_virtgpu_3d_transfer_to_host t = {
		.box = { .x = 2, .y = 3, .w = 10, .h = 11, .d = 1 },
		.offset = 64,
	};
	struct virtio_gpu_transfer_to_host_2d c;
	struct drm_virtgpu_resource_create rc;
	struct vgpu_fake_res_info info;

	vu_rc_2d(&rc);
	KUNIT_ASSERT_EQ(test, vu_resource_create(u, f, &rc), 0);
	t.bo_handle = rc.bo_handle;
	KUNIT_ASSERT_EQ(test, r_to_host(u, f, &t), 0);
	r_host_res(u, rc.res_handle, &info);
	KUNIT_EXPECT_EQ(test, info.transfers_to_host, 1);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host,
						      VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D,
						      &c, sizeof(c)), sizeof(c));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.resource_id), rc.res_handle);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.r.x), 2);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.r.y), 3);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.r.width), 10);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.r.height), 11);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(c.offset), 64);
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D), 0);
}

/* Checks the last 3D transfer of @type against what was asked. */
static void r_check_3d(struct vu *u, struct file *f, u32 type, u32 res_id,
		       const struct drm_virtgpu_3d_box *box, u64 offset, u32 level,
		       u32 stride, u32 layer_stride)
{
	struct kunit *test = u->test;
	struct virtio_gpu_transfer_host_3d c;

	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_last_cmd(u->t->host, type, &c, sizeof(c)), sizeof(c));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.hdr.ctx_id), vu_ctx_id(f));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.resource_id), res_id);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.box.x), box->x);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.box.y), box->y);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.box.z), box->z);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.box.w), box->w);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.box.h), box->h);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.box.d), box->d);
	KUNIT_EXPECT_EQ(test, le64_to_cpu(c.offset), offset);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.level), level);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.stride), stride);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(c.layer_stride), layer_stride);
}

/* With 3D, TRANSFER_TO_HOST is TRANSFER_TO_HOST_3D in the file's context. */
static void virtio_gpu_transfer_to_host_3d(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_3d_transfer_to_host t = {
		.box = { .x = 1, .y = 2, .z = 3, .w = 4, .h = 5, .d = 6 },
		.offset = 128, .level = 2,
	};
	struct drm_virtgpu_resource_create rc;

	vu_rc_2d(&rc);
	KUNIT_ASSERT_EQ(test, vu_resource_create(u, f, &rc), 0);
	t.bo_handle = rc.bo_handle;
	KUNIT_ASSERT_EQ(test, r_to_host(u, f, &t), 0);
	r_check_3d(u, f, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D, rc.res_handle, &t.box, 128, 2, 0, 0);
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D), 0);
}

/* TRANSFER_FROM_HOST is TRANSFER_FROM_HOST_3D in the file's context. */
static void virtio_gpu_transfer_from_host_3d(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_3d_transfer_from_host t = {
		.box = { .x = 7, .y = 6, .z = 5, .w = 4, .h = 3, .d = 2 },
		.offset = 256, .level = 1,
	};
	struct drm_virtgpu_resource_create rc;
	struct vgpu_fake_res_info info;

	vu_rc_2d(&rc);
	KUNIT_ASSERT_EQ(test, vu_resource_create(u, f, &rc), 0);
	t.bo_handle = rc.bo_handle;
	KUNIT_ASSERT_EQ(test, r_from_host(u, f, &t), 0);
	r_check_3d(u, f, VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D, rc.res_handle, &t.box, 256, 1, 0, 0);
	r_host_res(u, rc.res_handle, &info);
	KUNIT_EXPECT_EQ(test, info.transfers_from_host, 1);
}

/* Without 3D, TRANSFER_FROM_HOST is -ENOSYS, before the handle is looked at. */
static void virtio_gpu_transfer_from_host_needs_3d(struct kunit *test)
{
	struct vu *u = vu_create_features(test, VU_F_2D);
	struct file *f = vu_open(u);
	struct drm_virtgpu_3d_transfer_from_host t = { .box = { .w = 1, .h = 1, .d = 1 } };

	t.bo_handle = vu_bo(u, f);
	KUNIT_EXPECT_EQ(test, r_from_host(u, f, &t), -ENOSYS);
	t.bo_handle = 999;
	KUNIT_EXPECT_EQ(test, r_from_host(u, f, &t), -ENOSYS);
}

/* A transfer of a handle that does not exist is -ENOENT, either way. */
static void virtio_gpu_transfer_bad_handle(struct kunit *test)
{
	const struct r_dev *d = test->param_value;
	struct vu *u = vu_create_features(test, d->features);
	struct file *f = vu_open(u);
	struct drm_virtgpu_3d_transfer_to_host t = { .bo_handle = 77, .box = { .w = 1 } };
	struct drm_virtgpu_3d_transfer_from_host fh = { .bo_handle = 77, .box = { .w = 1 } };

	KUNIT_EXPECT_EQ(test, r_to_host(u, f, &t), -ENOENT);
	if (d->features & VGPU_FAKE_F_VIRGL)
		KUNIT_EXPECT_EQ(test, r_from_host(u, f, &fh), -ENOENT);
}

/**
 * struct r_stride - a transfer with strides
 * @desc: its name
 * @features: the device
 * @from_host: TRANSFER_FROM_HOST instead of TO_HOST
 * @stride: row stride
 * @layer_stride: layer stride
 */
struct r_stride {
	const char *desc;
	u64 features;
	bool from_host;
	u32 stride, layer_stride;
};

static const struct r_stride r_strides[] = {
	{ "3d-to-host-stride", VU_F_ALL, false, 128, 0 },
	{ "3d-to-host-layer-stride", VU_F_ALL, false, 0, 4096 },
	{ "3d-from-host-stride", VU_F_ALL, true, 128, 0 },
	{ "3d-from-host-layer-stride", VU_F_ALL, true, 0, 4096 },
};

KUNIT_ARRAY_PARAM_DESC(r_strides, r_strides, desc);

/* Strides are for host3d blobs: on a plain resource they are -EINVAL. */
static void virtio_gpu_transfer_stride_on_plain_resource(struct kunit *test)
{
	const struct r_stride *p = test->param_value;
	struct vu *u = vu_create_features(test, p->features);
	struct file *f = vu_open(u);
	struct drm_virtgpu_3d_transfer_to_host t = {
		.box = { .w = 1, .h = 1, .d = 1 },
		.stride = p->stride, .layer_stride = p->layer_stride,
	};
	unsigned int before;

	t.bo_handle = vu_bo(u, f);
	before = r_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D) +
		 r_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D) +
		 r_count(u, VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D);
	if (p->from_host)
		KUNIT_EXPECT_EQ(test, r_from_host(u, f, (void *)&t), -EINVAL);
	else
		KUNIT_EXPECT_EQ(test, r_to_host(u, f, &t), -EINVAL);
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D) +
			r_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D) +
			r_count(u, VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D), before);
}

/*
 * Without 3D there are no strides on the wire (TRANSFER_TO_HOST_2D has
 * none): the driver ignores them, as the base driver does, and transfers.
 */
static void virtio_gpu_transfer_stride_ignored_without_3d(struct kunit *test)
{
	struct vu *u = vu_create_features(test, VU_F_2D);
	struct file *f = vu_open(u);
	struct drm_virtgpu_3d_transfer_to_host t = {
		.box = { .w = 1, .h = 1, .d = 1 },
		.stride = 128, .layer_stride = 4096,
	};
	unsigned int before;

	t.bo_handle = vu_bo(u, f);
	before = r_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D);
	KUNIT_EXPECT_EQ(test, r_to_host(u, f, &t), 0);
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D), before + 1);
}

static const struct r_stride r_host3d_strides[] = {
	{ "to-host", VU_F_ALL, false, 256, 8192 },
	{ "from-host", VU_F_ALL, true, 512, 4096 },
};

KUNIT_ARRAY_PARAM_DESC(r_host3d_strides, r_host3d_strides, desc);

/* A host3d blob takes strides, and the host gets them. */
static void virtio_gpu_transfer_stride_to_host3d_blob(struct kunit *test)
{
	const struct r_stride *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create_blob b = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D, .size = PAGE_SIZE, .blob_id = 9,
	};
	struct drm_virtgpu_3d_transfer_to_host t = {
		.box = { .w = 8, .h = 8, .d = 1 },
		.stride = p->stride, .layer_stride = p->layer_stride,
	};

	KUNIT_ASSERT_EQ(test, r_blob(u, f, &b), 0);
	t.bo_handle = b.bo_handle;
	if (p->from_host) {
		KUNIT_ASSERT_EQ(test, r_from_host(u, f, (void *)&t), 0);
		r_check_3d(u, f, VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D, b.res_handle, &t.box, 0, 0,
			   p->stride, p->layer_stride);
	} else {
		KUNIT_ASSERT_EQ(test, r_to_host(u, f, &t), 0);
		r_check_3d(u, f, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D, b.res_handle, &t.box, 0, 0,
			   p->stride, p->layer_stride);
	}
}

static const struct r_stride r_guest_blob_dirs[] = {
	{ "to-host", VU_F_ALL, false },
	{ "from-host", VU_F_ALL, true },
};

KUNIT_ARRAY_PARAM_DESC(r_guest_blob_dirs, r_guest_blob_dirs, desc);

/* A guest blob has no host copy: transfers are -EINVAL. */
static void virtio_gpu_transfer_guest_blob_refused(struct kunit *test)
{
	const struct r_stride *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create_blob b = {
		.blob_mem = VIRTGPU_BLOB_MEM_GUEST, .size = PAGE_SIZE,
	};
	struct drm_virtgpu_3d_transfer_to_host t = { .box = { .w = 1, .h = 1, .d = 1 } };

	KUNIT_ASSERT_EQ(test, r_blob(u, f, &b), 0);
	t.bo_handle = b.bo_handle;
	if (p->from_host)
		KUNIT_EXPECT_EQ(test, r_from_host(u, f, (void *)&t), -EINVAL);
	else
		KUNIT_EXPECT_EQ(test, r_to_host(u, f, &t), -EINVAL);
}

/* Every command the host took, of any type. */
static unsigned int r_host_cmds(struct vu *u)
{
	unsigned int group, idx, n;

	KUNIT_ASSERT_TRUE(u->test, vgt_settle(u->t));
	/* Type 0 stands for the commands of no known group. */
	n = vgpu_fake_host_cmd_count(u->t->host, 0);
	for (group = 1; group <= 3; group++)
		for (idx = 0; idx < 16; idx++)
			n += vgpu_fake_host_cmd_count(u->t->host, group << 8 | idx);
	return n;
}

/* Bytes of the objects of the bounds cases: four pages of 4 KiB. */
#define R_XFER_BYTES	SZ_16K
/* Their textures: 64 x 64 pixels of 4 bytes, exactly R_XFER_BYTES. */
#define R_XFER_DIM	64
#define R_XFER_PITCH	(R_XFER_DIM * 4)

/**
 * struct r_xfer - a transfer checked against the bounds of its object
 * @desc: its name
 * @features: the device
 * @host3d: on a host3d blob with guest pages (strides allowed), instead of
 * a 64 x 64 texture
 * @from_host: TRANSFER_FROM_HOST instead of TO_HOST
 * @box: the box
 * @offset: offset
 * @level: level
 * @stride: row stride
 * @layer_stride: layer stride
 * @err: expected result
 */
struct r_xfer {
	const char *desc;
	u64 features;
	bool host3d;
	bool from_host;
	struct drm_virtgpu_3d_box box;
	u32 offset, level, stride, layer_stride;
	int err;
};

/* A box of w x h x d at (x, y, z). */
#define R_BOX(x_, y_, z_, w_, h_, d_) \
	{ .x = (x_), .y = (y_), .z = (z_), .w = (w_), .h = (h_), .d = (d_) }

/* The object of @p, R_XFER_BYTES big; its creation has reached the host. */
static u32 r_xfer_bo(struct vu *u, struct file *f, const struct r_xfer *p)
{
	struct drm_virtgpu_resource_create_blob b = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D_GUEST,
		.size = R_XFER_BYTES, .blob_id = 1,
	};
	struct drm_virtgpu_resource_create rc;

	if (p->host3d) {
		KUNIT_ASSERT_EQ(u->test, r_blob(u, f, &b), 0);
		r_host_res(u, b.res_handle, NULL);
		return b.bo_handle;
	}
	vu_rc_2d(&rc);
	rc.width = R_XFER_DIM;
	rc.height = R_XFER_DIM;
	rc.stride = R_XFER_PITCH;
	rc.size = R_XFER_BYTES;
	KUNIT_ASSERT_EQ(u->test, vu_resource_create(u, f, &rc), 0);
	r_host_res(u, rc.res_handle, NULL);
	return rc.bo_handle;
}

/* The command a transfer of @p becomes on the wire. */
static u32 r_xfer_cmd(const struct r_xfer *p)
{
	if (p->from_host)
		return VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D;
	if (p->features & VGPU_FAKE_F_VIRGL)
		return VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D;
	return VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D;
}

/* Issues the transfer of @p on @handle; returns the ioctl's result. */
static int r_xfer_ioctl(struct vu *u, struct file *f, const struct r_xfer *p, u32 handle)
{
	struct drm_virtgpu_3d_transfer_to_host t = {
		.bo_handle = handle, .box = p->box, .offset = p->offset,
		.level = p->level, .stride = p->stride, .layer_stride = p->layer_stride,
	};
	struct drm_virtgpu_3d_transfer_from_host fh = {
		.bo_handle = handle, .box = p->box, .offset = p->offset,
		.level = p->level, .stride = p->stride, .layer_stride = p->layer_stride,
	};

	return p->from_host ? r_from_host(u, f, &fh) : r_to_host(u, f, &t);
}

/*
 * Runs the transfer of @p on a fresh object and checks its result: a
 * refused one gives the precise errno and sends nothing at all to the
 * host; an accepted one reaches the host as one transfer command.
 */
static void r_xfer_run(struct kunit *test, const struct r_xfer *p)
{
	struct vu *u = vu_create_features(test, p->features);
	struct file *f = vu_open(u);
	unsigned int cmds, xfers;
	u32 bo = r_xfer_bo(u, f, p);

	cmds = r_host_cmds(u);
	xfers = r_count(u, r_xfer_cmd(p));
	KUNIT_EXPECT_EQ(test, r_xfer_ioctl(u, f, p, bo), p->err);
	if (p->err) {
		KUNIT_EXPECT_EQ_MSG(test, r_host_cmds(u), cmds,
				    "a refused transfer sent commands to the host");
	} else {
		KUNIT_EXPECT_EQ(test, r_count(u, r_xfer_cmd(p)), xfers + 1);
		KUNIT_EXPECT_EQ(test, r_host_cmds(u), cmds + 1);
	}
}

static const struct r_xfer r_xfer_offset_beyond[] = {
	{ "2d-to-host", VU_F_2D, false, false, R_BOX(0, 0, 0, 1, 1, 1), 0x100000,
	  .err = -EINVAL },
	{ "3d-to-host", VU_F_ALL, false, false, R_BOX(0, 0, 0, 1, 1, 1), 0x100000,
	  .err = -EINVAL },
	{ "3d-from-host", VU_F_ALL, false, true, R_BOX(0, 0, 0, 1, 1, 1), 0x100000,
	  .err = -EINVAL },
	{ "host3d-to-host", VU_F_ALL, true, false, R_BOX(0, 0, 0, 1, 1, 1), 0x100000,
	  .err = -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(r_xfer_offset_beyond, r_xfer_offset_beyond, desc);

/*
 * A transfer at offset 0x100000 of a 16 KiB object (which aborts QEMU 7.2
 * in iov_to_buf_full()) is -EINVAL and never reaches the host.
 */
static void virtio_gpu_transfer_offset_beyond_bo(struct kunit *test)
{
	r_xfer_run(test, test->param_value);
}

#define R_2D	VU_F_2D
#define R_3D	VU_F_ALL
#define R_END	R_XFER_BYTES

static const struct r_xfer r_xfer_out_of_bounds[] = {
	/* 2D device, 64 x 64 texture: the box in the texture, rows in the object. */
	{ "2d-offset-beyond-bo", R_2D, false, false, R_BOX(0, 0, 0, 1, 1, 1), R_END + 1,
	  .err = -EINVAL },
	{ "2d-offset-u32-max", R_2D, false, false, R_BOX(0, 0, 0, 1, 1, 1), U32_MAX,
	  .err = -EINVAL },
	{ "2d-empty-box-offset-beyond-bo", R_2D, false, false, R_BOX(0, 0, 0, 0, 0, 0),
	  R_END + 1, .err = -EINVAL },
	{ "2d-box-beyond-width", R_2D, false, false, R_BOX(60, 0, 0, 8, 1, 1), 0,
	  .err = -EINVAL },
	{ "2d-box-beyond-height", R_2D, false, false, R_BOX(0, 60, 0, 1, 8, 1), 0,
	  .err = -EINVAL },
	{ "2d-box-x-wraps", R_2D, false, false, R_BOX(U32_MAX, 0, 0, 2, 1, 1), 0,
	  .err = -EINVAL },
	{ "2d-box-y-wraps", R_2D, false, false, R_BOX(0, U32_MAX, 0, 1, 2, 1), 0,
	  .err = -EINVAL },
	{ "2d-last-row-beyond-bo", R_2D, false, false, R_BOX(0, 0, 0, 64, 64, 1), 4,
	  .err = -EINVAL },
	{ "2d-narrow-rows-beyond-bo", R_2D, false, false, R_BOX(0, 0, 0, 1, 64, 1),
	  R_XFER_PITCH, .err = -EINVAL },
	{ "2d-empty-rows-beyond-bo", R_2D, false, false, R_BOX(0, 0, 0, 0, 64, 1),
	  R_XFER_PITCH + 1, .err = -EINVAL },
	/* 3D device, texture: no strides, so the offset bounds what is touched. */
	{ "3d-offset-beyond-bo", R_3D, false, false, R_BOX(0, 0, 0, 1, 1, 1), R_END + 1,
	  .err = -EINVAL },
	{ "3d-box-at-bo-end", R_3D, false, false, R_BOX(0, 0, 0, 1, 1, 1), R_END,
	  .err = -EINVAL },
	{ "3d-from-host-box-at-bo-end", R_3D, false, true, R_BOX(0, 0, 0, 1, 1, 1), R_END,
	  .err = -EINVAL },
	{ "3d-empty-box-offset-beyond-bo", R_3D, false, false, R_BOX(0, 0, 0, 0, 0, 0),
	  R_END + 1, .err = -EINVAL },
	{ "3d-box-x-wraps", R_3D, false, false, R_BOX(U32_MAX, 0, 0, 1, 1, 1), 0,
	  .err = -EINVAL },
	{ "3d-box-z-wraps", R_3D, false, true, R_BOX(0, 0, 0xfffffff0, 1, 1, 0x20), 0,
	  .err = -EINVAL },
	/* Host3d blob with guest pages: the strides place rows and layers. */
	{ "host3d-rows-beyond-bo", R_3D, true, false, R_BOX(0, 0, 0, 64, 65, 1), 0, 0,
	  R_XFER_PITCH, 0, -EINVAL },
	{ "stride-overflow", R_3D, true, false, R_BOX(0, 0, 0, 1, 3, 1), 0, 0,
	  0x80000000, 0, -EINVAL },
	{ "from-host-stride-overflow", R_3D, true, true, R_BOX(0, 0, 0, 1, 3, 1), 0, 0,
	  0x80000000, 0, -EINVAL },
	{ "layer-stride-overflow", R_3D, true, false, R_BOX(0, 0, 0, 1, 1, 3), 0, 0,
	  0, 0x80000000, -EINVAL },
	{ "host3d-layers-beyond-bo", R_3D, true, false, R_BOX(0, 0, 0, 1, 1, 5), 0, 0,
	  0, SZ_4K, -EINVAL },
	{ "host3d-implied-layers-beyond-bo", R_3D, true, false, R_BOX(0, 0, 0, 1, 16, 5), 0,
	  0, R_XFER_PITCH, 0, -EINVAL },
	{ "host3d-extent-wraps-u64", R_3D, true, false, R_BOX(0, 0, 0, 1, U32_MAX, U32_MAX),
	  U32_MAX, 0, U32_MAX, U32_MAX, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(r_xfer_out_of_bounds, r_xfer_out_of_bounds, desc);

/*
 * A transfer that would make the host touch bytes outside its object, or
 * on a 2D device a box outside its resource, is -EINVAL with nothing sent.
 */
static void virtio_gpu_transfer_out_of_bounds(struct kunit *test)
{
	r_xfer_run(test, test->param_value);
}

static const struct r_xfer r_xfer_at_end[] = {
	{ "2d-whole-texture", R_2D, false, false, R_BOX(0, 0, 0, 64, 64, 1), 0 },
	{ "2d-last-row-ends-at-bo-end", R_2D, false, false, R_BOX(32, 63, 0, 32, 1, 1),
	  R_END - R_XFER_PITCH / 2 },
	{ "2d-empty-box-at-bo-end", R_2D, false, false, R_BOX(0, 0, 0, 0, 0, 0), R_END },
	{ "2d-level-and-strides-ignored", R_2D, false, false, R_BOX(0, 0, 0, 1, 1, 1), 0,
	  7, 128, SZ_4K },
	{ "3d-stride-0-last-byte", R_3D, false, false, R_BOX(0, 0, 0, 64, 64, 1), R_END - 1 },
	{ "3d-from-host-stride-0-last-byte", R_3D, false, true, R_BOX(0, 0, 0, 64, 64, 1),
	  R_END - 1 },
	{ "3d-empty-box-at-bo-end", R_3D, false, false, R_BOX(0, 0, 0, 0, 0, 0), R_END },
	{ "3d-level-is-a-pitch", R_3D, false, true, R_BOX(0, 0, 0, 64, 64, 1), 0, 256 },
	{ "host3d-last-row-at-bo-end", R_3D, true, false, R_BOX(0, 0, 0, 1, 64, 1),
	  R_END - 1 - 63 * R_XFER_PITCH, 0, R_XFER_PITCH },
	{ "host3d-last-layer-at-bo-end", R_3D, true, true, R_BOX(0, 0, 0, 1, 1, 4),
	  R_END - 1 - 3 * SZ_4K, 0, 0, SZ_4K },
	{ "host3d-implied-layers-at-bo-end", R_3D, true, false, R_BOX(0, 0, 0, 1, 16, 4),
	  R_END - 1 - 3 * 16 * R_XFER_PITCH - 15 * R_XFER_PITCH, 0, R_XFER_PITCH },
};

KUNIT_ARRAY_PARAM_DESC(r_xfer_at_end, r_xfer_at_end, desc);

/*
 * Transfers that end exactly at the end of their object, empty ones there,
 * and what Mesa and minigbm send (no strides, a pitch in the level) still
 * reach the host.
 */
static void virtio_gpu_transfer_ends_at_bo_end(struct kunit *test)
{
	r_xfer_run(test, test->param_value);
}

static struct kunit_case r_transfer_cases[] = {
	KUNIT_CASE(virtio_gpu_transfer_to_host_2d_box),
	KUNIT_CASE(virtio_gpu_transfer_to_host_3d),
	KUNIT_CASE(virtio_gpu_transfer_from_host_3d),
	KUNIT_CASE(virtio_gpu_transfer_from_host_needs_3d),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_bad_handle, r_devs_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_stride_on_plain_resource, r_strides_gen_params),
	KUNIT_CASE(virtio_gpu_transfer_stride_ignored_without_3d),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_stride_to_host3d_blob, r_host3d_strides_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_guest_blob_refused, r_guest_blob_dirs_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_offset_beyond_bo, r_xfer_offset_beyond_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_out_of_bounds, r_xfer_out_of_bounds_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_ends_at_bo_end, r_xfer_at_end_gen_params),
	{}
};

static struct kunit_suite r_transfer_suite = {
	.name = "virtio_gpu_uapi_transfer",
	.test_cases = r_transfer_cases,
};

/* ---- virtio_gpu_uapi_wait ---- */

/*
 * A new object is busy until the host answers its creation: with the
 * global timeline held, WAIT with NOWAIT is -EBUSY; once the host
 * completed the fence, NOWAIT and a blocking WAIT return 0.
 */
static void virtio_gpu_wait_busy_until_created(struct kunit *test)
{
	const struct r_dev *d = test->param_value;
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
	const struct r_dev *d = test->param_value;
	struct vu *u = vu_create_features(test, d->features);
	struct file *f = vu_open(u);
	struct drm_virtgpu_3d_transfer_to_host t = { .box = { .w = 4, .h = 4, .d = 1 } };
	u64 id;

	t.bo_handle = vu_bo(u, f);
	KUNIT_ASSERT_EQ(test, vu_wait(u, f, t.bo_handle, 0), 0);
	vgpu_fake_host_hold(u->t->host, VGPU_FAKE_GLOBAL);
	KUNIT_ASSERT_EQ(test, r_to_host(u, f, &t), 0);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	id = vgpu_fake_host_last_fence(u->t->host, VGPU_FAKE_GLOBAL);
	if (!(d->features & VGPU_FAKE_F_VIRGL) && !vgpu_fake_host_parked(u->t->host,
									 VGPU_FAKE_GLOBAL))
		kunit_skip(test, "2D transfers carry no fence");
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, t.bo_handle, VIRTGPU_WAIT_NOWAIT), -EBUSY);
	KUNIT_EXPECT_EQ(test, vgt_complete(u->t, VGPU_FAKE_GLOBAL, id), 1);
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, t.bo_handle, VIRTGPU_WAIT_NOWAIT), 0);
}

static const struct r_size r_bad_wait_flags[] = {
	{ "flag-2", 2 },
	{ "nowait-and-2", VIRTGPU_WAIT_NOWAIT | 2 },
	{ "bit-31", BIT(31) },
	{ "all", U32_MAX },
};

KUNIT_ARRAY_PARAM_DESC(r_bad_wait_flags, r_bad_wait_flags, desc);

/* Unknown WAIT flags are -EINVAL, on an idle object too. */
static void virtio_gpu_wait_bad_flags(struct kunit *test)
{
	const struct r_size *p = test->param_value;
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	u32 bo = vu_bo(u, f);

	KUNIT_ASSERT_EQ(test, vu_wait(u, f, bo, 0), 0);
	KUNIT_EXPECT_EQ(test, vu_wait(u, f, bo, p->size), -EINVAL);
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
	KUNIT_CASE_PARAM(virtio_gpu_wait_busy_until_created, r_devs_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_wait_busy_during_transfer, r_devs_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_wait_bad_flags, r_bad_wait_flags_gen_params),
	KUNIT_CASE(virtio_gpu_wait_bad_handle),
	KUNIT_CASE(virtio_gpu_wait_busy_during_execbuffer),
	{}
};

static struct kunit_suite r_wait_suite = {
	.name = "virtio_gpu_uapi_wait",
	.test_cases = r_wait_cases,
};

/* ---- virtio_gpu_uapi_blob ---- */

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
	return r_blob(u, f, b);
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
	r_host_res(u, b.res_handle, &info);
	KUNIT_EXPECT_EQ(test, info.kind, VGPU_FAKE_RES_BLOB);
	KUNIT_EXPECT_EQ(test, info.blob_mem, VIRTIO_GPU_BLOB_MEM_GUEST);
	KUNIT_EXPECT_EQ(test, info.blob_flags, p->flags);
	KUNIT_EXPECT_EQ(test, info.size, p->size);
	KUNIT_EXPECT_EQ(test, info.backing_bytes, p->size);
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING), 0);
	KUNIT_ASSERT_EQ(test, r_info(u, f, b.bo_handle, &ri), 0);
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
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 0);
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
		KUNIT_ASSERT_EQ(test, r_blob(u, f, &b), 0);
		r_host_res(u, b.res_handle, &info);
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
		KUNIT_ASSERT_EQ(test, r_info(u, f, b.bo_handle, &ri), 0);
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
	r_host_res(u, b.res_handle, NULL);
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 1);
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
	KUNIT_EXPECT_EQ(test, r_blob(u, f, &b), -EFAULT);
	KUNIT_ASSERT_TRUE(test, vgt_settle(u->t));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(u->t->host), 0);
	KUNIT_EXPECT_EQ(test, r_count(u, VIRTIO_GPU_CMD_SUBMIT_3D), 0);
}

/* Closing a blob's handle unrefs its host resource. */
static void virtio_gpu_blob_close_unrefs_host(struct kunit *test)
{
	struct vu *u = vu_create_3d(test);
	struct file *f = vu_open(u);
	struct drm_virtgpu_resource_create_blob b = {
		.blob_mem = VIRTGPU_BLOB_MEM_HOST3D, .size = PAGE_SIZE, .blob_id = 2,
	};

	KUNIT_ASSERT_EQ(test, r_blob(u, f, &b), 0);
	r_host_res(u, b.res_handle, NULL);
	KUNIT_ASSERT_EQ(test, r_gem_close(u, f, b.bo_handle), 0);
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

static struct kunit_suite r_blob_suite = {
	.name = "virtio_gpu_uapi_blob",
	.test_cases = r_blob_cases,
};

/* ---- virtio_gpu_uapi_dumb ---- */

static int r_dumb(struct vu *u, struct file *f, struct drm_mode_create_dumb *d)
{
	return vu_ioctl(u, f, DRM_IOCTL_MODE_CREATE_DUMB, d);
}

/**
 * struct r_dumbp - a DRM_IOCTL_MODE_CREATE_DUMB request
 * @desc: its name
 * @features: the device
 * @width: width
 * @height: height
 * @bpp: bits per pixel
 * @err: expected result
 */
struct r_dumbp {
	const char *desc;
	u64 features;
	u32 width, height, bpp;
	int err;
};

static const struct r_dumbp r_dumb_bad[] = {
	{ "bpp-24", VU_F_2D, 64, 64, 24, -EINVAL },
	{ "bpp-16", VU_F_2D, 64, 64, 16, -EINVAL },
	{ "bpp-8", VU_F_2D, 64, 64, 8, -EINVAL },
	{ "bpp-1", VU_F_2D, 64, 64, 1, -EINVAL },
	{ "bpp-64", VU_F_2D, 64, 64, 64, -EINVAL },
	{ "bpp-24-3d", VU_F_ALL, 64, 64, 24, -EINVAL },
	{ "bpp-0", VU_F_2D, 64, 64, 0, -EINVAL },
	{ "zero-width", VU_F_2D, 0, 64, 32, -EINVAL },
	{ "zero-height", VU_F_2D, 64, 0, 32, -EINVAL },
	{ "pitch-overflow", VU_F_2D, 0x40000000, 1, 32, -EINVAL },
	{ "size-overflow", VU_F_2D, 0x10000, 0x10000, 32, -EINVAL },
	{ "size-wraps-when-aligned", VU_F_2D, 1, 0x3fffffff, 32, -EINVAL },
	{ "bpp-huge", VU_F_2D, 1, 1, U32_MAX, -EINVAL },
};

KUNIT_ARRAY_PARAM_DESC(r_dumb_bad, r_dumb_bad, desc);

/*
 * An invalid dumb buffer gives the base driver's errno, -EINVAL, makes no
 * handle and sends nothing to the host: a depth other than 32 bits per
 * pixel, a width or height of 0, a pitch or size that overflows.
 */
static void virtio_gpu_dumb_create_invalid(struct kunit *test)
{
	const struct r_dumbp *p = test->param_value;
	struct vu *u = vu_create_features(test, p->features);
	struct file *f = vu_open_primary(u);
	struct drm_mode_create_dumb d = {
		.width = p->width, .height = p->height, .bpp = p->bpp,
	};
	unsigned int cmds = r_host_cmds(u);

	KUNIT_EXPECT_EQ(test, r_dumb(u, f, &d), p->err);
	KUNIT_EXPECT_EQ(test, d.handle, 0);
	KUNIT_EXPECT_EQ(test, r_host_cmds(u), cmds);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(u->t->host), 0);
}

static const struct r_dumbp r_dumb_ok[] = {
	{ "2d-33x7", VU_F_2D, 33, 7, 32 },
	{ "2d-1x1", VU_F_2D, 1, 1, 32 },
	{ "3d-64x64", VU_F_ALL & ~VGPU_FAKE_F_RESOURCE_BLOB, 64, 64, 32 },
	{ "3d-blob-64x64", VU_F_ALL, 64, 64, 32 },
	{ "2d-blob-33x7", VU_F_2D | VGPU_FAKE_F_RESOURCE_BLOB, 33, 7, 32 },
};

KUNIT_ARRAY_PARAM_DESC(r_dumb_ok, r_dumb_ok, desc);

/*
 * A dumb buffer of 32 bits per pixel is a tightly packed XRGB8888 host
 * resource backed by the object, as the base driver makes it: a 2D
 * resource, or a shareable guest blob on a device with blobs and no 3D.
 */
static void virtio_gpu_dumb_create_host_resource(struct kunit *test)
{
	const struct r_dumbp *p = test->param_value;
	struct vu *u = vu_create_features(test, p->features);
	struct file *f = vu_open_primary(u);
	struct drm_mode_create_dumb d = {
		.width = p->width, .height = p->height, .bpp = p->bpp,
	};
	bool blob = (p->features & VGPU_FAKE_F_RESOURCE_BLOB) &&
		    !(p->features & VGPU_FAKE_F_VIRGL);
	u64 size = PAGE_ALIGN((u64)p->width * 4 * p->height);
	struct drm_virtgpu_resource_info ri;
	struct vgpu_fake_res_info info;

	KUNIT_ASSERT_EQ(test, r_dumb(u, f, &d), 0);
	KUNIT_EXPECT_NE(test, d.handle, 0);
	KUNIT_EXPECT_EQ(test, d.pitch, p->width * 4);
	KUNIT_EXPECT_EQ(test, d.size, size);
	KUNIT_ASSERT_EQ(test, r_info(u, f, d.handle, &ri), 0);
	KUNIT_EXPECT_EQ(test, ri.size, size);
	KUNIT_ASSERT_NE_MSG(test, ri.res_handle, 0, "the dumb buffer has no host resource");
	r_host_res(u, ri.res_handle, &info);
	KUNIT_EXPECT_EQ(test, info.backing_bytes, size);
	if (blob) {
		KUNIT_EXPECT_EQ(test, info.kind, VGPU_FAKE_RES_BLOB);
		KUNIT_EXPECT_EQ(test, info.blob_mem, VIRTIO_GPU_BLOB_MEM_GUEST);
		KUNIT_EXPECT_EQ(test, info.blob_flags, VIRTGPU_BLOB_FLAG_USE_SHAREABLE);
		return;
	}
	KUNIT_EXPECT_EQ(test, info.kind, VGPU_FAKE_RES_2D);
	KUNIT_EXPECT_EQ(test, info.width, p->width);
	KUNIT_EXPECT_EQ(test, info.height, p->height);
	KUNIT_EXPECT_EQ(test, info.format, IS_ENABLED(CONFIG_CPU_BIG_ENDIAN) ?
			VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM : VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM);
}

static struct kunit_case r_dumb_cases[] = {
	KUNIT_CASE_PARAM(virtio_gpu_dumb_create_invalid, r_dumb_bad_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_dumb_create_host_resource, r_dumb_ok_gen_params),
	{}
};

static struct kunit_suite r_dumb_suite = {
	.name = "virtio_gpu_uapi_dumb",
	.test_cases = r_dumb_cases,
};

kunit_test_suites(&r_resource_suite, &r_transfer_suite, &r_wait_suite, &r_blob_suite,
		  &r_dumb_suite);
