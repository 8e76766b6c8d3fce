// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_transfer: TRANSFER_TO_HOST and
 * TRANSFER_FROM_HOST, what reaches the host and the boxes, offsets and
 * strides refused.
 */

#include <kunit/test.h>
#include <linux/sizes.h>

#include "vgpu_uapi.h"

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
	KUNIT_ASSERT_EQ(test, vu_transfer_to_host(u, f, &t), 0);
	vu_host_res(u, rc.res_handle, &info);
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
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D), 0);
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
	KUNIT_ASSERT_EQ(test, vu_transfer_to_host(u, f, &t), 0);
	r_check_3d(u, f, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D, rc.res_handle, &t.box, 128, 2, 0, 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D), 0);
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
	vu_host_res(u, rc.res_handle, &info);
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
	const struct vu_dev *d = test->param_value;
	struct vu *u = vu_create_features(test, d->features);
	struct file *f = vu_open(u);
	struct drm_virtgpu_3d_transfer_to_host t = { .bo_handle = 77, .box = { .w = 1 } };
	struct drm_virtgpu_3d_transfer_from_host fh = { .bo_handle = 77, .box = { .w = 1 } };

	KUNIT_EXPECT_EQ(test, vu_transfer_to_host(u, f, &t), -ENOENT);
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
	before = vu_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D) +
		 vu_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D) +
		 vu_count(u, VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D);
	if (p->from_host)
		KUNIT_EXPECT_EQ(test, r_from_host(u, f, (void *)&t), -EINVAL);
	else
		KUNIT_EXPECT_EQ(test, vu_transfer_to_host(u, f, &t), -EINVAL);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D) +
			vu_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D) +
			vu_count(u, VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D), before);
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
	before = vu_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D);
	KUNIT_EXPECT_EQ(test, vu_transfer_to_host(u, f, &t), 0);
	KUNIT_EXPECT_EQ(test, vu_count(u, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D), before + 1);
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

	KUNIT_ASSERT_EQ(test, vu_resource_create_blob(u, f, &b), 0);
	t.bo_handle = b.bo_handle;
	if (p->from_host) {
		KUNIT_ASSERT_EQ(test, r_from_host(u, f, (void *)&t), 0);
		r_check_3d(u, f, VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D, b.res_handle, &t.box, 0, 0,
			   p->stride, p->layer_stride);
	} else {
		KUNIT_ASSERT_EQ(test, vu_transfer_to_host(u, f, &t), 0);
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

	KUNIT_ASSERT_EQ(test, vu_resource_create_blob(u, f, &b), 0);
	t.bo_handle = b.bo_handle;
	if (p->from_host)
		KUNIT_EXPECT_EQ(test, r_from_host(u, f, (void *)&t), -EINVAL);
	else
		KUNIT_EXPECT_EQ(test, vu_transfer_to_host(u, f, &t), -EINVAL);
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
		KUNIT_ASSERT_EQ(u->test, vu_resource_create_blob(u, f, &b), 0);
		vu_host_res(u, b.res_handle, NULL);
		return b.bo_handle;
	}
	vu_rc_2d(&rc);
	rc.width = R_XFER_DIM;
	rc.height = R_XFER_DIM;
	rc.stride = R_XFER_PITCH;
	rc.size = R_XFER_BYTES;
	KUNIT_ASSERT_EQ(u->test, vu_resource_create(u, f, &rc), 0);
	vu_host_res(u, rc.res_handle, NULL);
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

	return p->from_host ? r_from_host(u, f, &fh) : vu_transfer_to_host(u, f, &t);
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

	cmds = vu_host_cmds(u);
	xfers = vu_count(u, r_xfer_cmd(p));
	KUNIT_EXPECT_EQ(test, r_xfer_ioctl(u, f, p, bo), p->err);
	if (p->err) {
		KUNIT_EXPECT_EQ_MSG(test, vu_host_cmds(u), cmds,
				    "a refused transfer sent commands to the host");
	} else {
		KUNIT_EXPECT_EQ(test, vu_count(u, r_xfer_cmd(p)), xfers + 1);
		KUNIT_EXPECT_EQ(test, vu_host_cmds(u), cmds + 1);
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
	KUNIT_CASE_PARAM(virtio_gpu_transfer_bad_handle, vu_2d_3d_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_stride_on_plain_resource, r_strides_gen_params),
	KUNIT_CASE(virtio_gpu_transfer_stride_ignored_without_3d),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_stride_to_host3d_blob, r_host3d_strides_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_guest_blob_refused, r_guest_blob_dirs_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_offset_beyond_bo, r_xfer_offset_beyond_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_out_of_bounds, r_xfer_out_of_bounds_gen_params),
	KUNIT_CASE_PARAM(virtio_gpu_transfer_ends_at_bo_end, r_xfer_at_end_gen_params),
	{}
};

VGPU_FAKE_SUITES(r_transfer_suite, "virtio_gpu_uapi_transfer", r_transfer_cases);
