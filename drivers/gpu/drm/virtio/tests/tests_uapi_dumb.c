// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_uapi_dumb: dumb buffers made through the primary
 * node, the arguments refused and the host resource made for the others.
 */

#include <kunit/test.h>

#include <drm/drm.h>

#include "vgpu_uapi.h"

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
	unsigned int cmds = vu_host_cmds(u);

	KUNIT_EXPECT_EQ(test, r_dumb(u, f, &d), p->err);
	KUNIT_EXPECT_EQ(test, d.handle, 0);
	KUNIT_EXPECT_EQ(test, vu_host_cmds(u), cmds);
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
	KUNIT_ASSERT_EQ(test, vu_resource_info(u, f, d.handle, &ri), 0);
	KUNIT_EXPECT_EQ(test, ri.size, size);
	KUNIT_ASSERT_NE_MSG(test, ri.res_handle, 0, "the dumb buffer has no host resource");
	vu_host_res(u, ri.res_handle, &info);
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

VGPU_FAKE_SUITES(r_dumb_suite, "virtio_gpu_uapi_dumb", r_dumb_cases);
