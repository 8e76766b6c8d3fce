// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * The virtio-gpu UAPI from userspace, on whatever virtio-gpu device the
 * machine has: what a Mesa driver asks first (GETPARAM, GET_CAPS), 2D
 * resources with transfers and WAIT, guest blobs, and the errno of every
 * request the driver must refuse. Cases that need 3D skip on a 2D device,
 * cases for 2D-only behaviour skip with virgl.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <drm/drm.h>
#include <drm/virtgpu_drm.h>

#include "../../../kselftest_harness.h"

/* The formats and targets of virtio_gpu.h, which is not a UAPI header. */
#define VGPU_FORMAT_B8G8R8X8	2
#define VGPU_TARGET_2D		2
#define VGPU_BIND_RENDER	2

static int open_render_node(void)
{
	char path[32];
	int i, fd;

	for (i = 128; i < 192; i++) {
		drm_version_t v = {};
		char name[32] = {};

		snprintf(path, sizeof(path), "/dev/dri/renderD%d", i);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			continue;
		v.name = name;
		v.name_len = sizeof(name) - 1;
		if (!ioctl(fd, DRM_IOCTL_VERSION, &v) && !strcmp(name, "virtio_gpu"))
			return fd;
		close(fd);
	}
	return -1;
}

/* The ioctl's errno, or 0 when it succeeded. */
static int req(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static int getparam(int fd, uint64_t param, int *value)
{
	struct drm_virtgpu_getparam gp = {
		.param = param, .value = (uintptr_t)value,
	};

	return req(fd, DRM_IOCTL_VIRTGPU_GETPARAM, &gp);
}

FIXTURE(virtgpu) {
	int fd;
	int has_3d;
	int has_blob;
};

FIXTURE_SETUP(virtgpu)
{
	self->fd = open_render_node();
	if (self->fd < 0)
		SKIP(return, "no virtio_gpu render node");
	ASSERT_EQ(0, getparam(self->fd, VIRTGPU_PARAM_3D_FEATURES, &self->has_3d));
	ASSERT_EQ(0, getparam(self->fd, VIRTGPU_PARAM_RESOURCE_BLOB, &self->has_blob));
}

FIXTURE_TEARDOWN(virtgpu)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* A 64x64 XRGB resource of the 2D kind; returns its GEM handle. */
static uint32_t create_2d(struct __test_metadata *_metadata, int fd,
			  uint32_t *res_handle)
{
	struct drm_virtgpu_resource_create rc = {
		.target = VGPU_TARGET_2D, .format = VGPU_FORMAT_B8G8R8X8,
		.bind = VGPU_BIND_RENDER, .width = 64, .height = 64,
		.depth = 1, .array_size = 1, .size = 64 * 64 * 4,
		.stride = 64 * 4,
	};

	EXPECT_EQ(0, req(fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc));
	EXPECT_NE(0, rc.bo_handle);
	EXPECT_NE(0, rc.res_handle);
	if (res_handle)
		*res_handle = rc.res_handle;
	return rc.bo_handle;
}

static void gem_close(int fd, uint32_t handle)
{
	struct drm_gem_close gc = { .handle = handle };

	ioctl(fd, DRM_IOCTL_GEM_CLOSE, &gc);
}

/* Every parameter a Mesa driver queries answers, each 0 or 1 but the mask. */
TEST_F(virtgpu, getparam_every_known_param)
{
	uint64_t p;

	for (p = VIRTGPU_PARAM_3D_FEATURES; p <= VIRTGPU_PARAM_CONTEXT_INIT; p++) {
		int value = -1;

		EXPECT_EQ(0, getparam(self->fd, p, &value)) TH_LOG("param %llu",
								  (unsigned long long)p);
		EXPECT_TRUE(value == 0 || value == 1) TH_LOG("param %llu is %d",
							     (unsigned long long)p, value);
	}
}

/* Parameter 0 and one past the last are EINVAL. */
TEST_F(virtgpu, getparam_unknown_is_einval)
{
	int value;

	EXPECT_EQ(EINVAL, getparam(self->fd, 0, &value));
	EXPECT_EQ(EINVAL, getparam(self->fd, 1000, &value));
}

/* A value pointer into nowhere is EFAULT. */
TEST_F(virtgpu, getparam_bad_pointer_is_efault)
{
	struct drm_virtgpu_getparam gp = {
		.param = VIRTGPU_PARAM_3D_FEATURES, .value = 16,
	};

	EXPECT_EQ(EFAULT, req(self->fd, DRM_IOCTL_VIRTGPU_GETPARAM, &gp));
}

/* A device without capsets (the 2D one) answers GET_CAPS with ENOSYS. */
TEST_F(virtgpu, get_caps_without_capsets_is_enosys)
{
	struct drm_virtgpu_get_caps gc = { .cap_set_id = 1, .size = 64 };
	char buf[64];
	int mask = 0;

	ASSERT_EQ(0, getparam(self->fd, VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs, &mask));
	if (mask)
		SKIP(return, "the device has capsets (mask 0x%x)", mask);
	gc.addr = (uintptr_t)buf;
	EXPECT_EQ(ENOSYS, req(self->fd, DRM_IOCTL_VIRTGPU_GET_CAPS, &gc));
}

/* A 2D resource is created and described by RESOURCE_INFO. */
TEST_F(virtgpu, resource_create_2d_and_info)
{
	struct drm_virtgpu_resource_info info = {};
	uint32_t res;

	info.bo_handle = create_2d(_metadata, self->fd, &res);
	ASSERT_EQ(0, req(self->fd, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &info));
	EXPECT_EQ(res, info.res_handle);
	EXPECT_GE(info.size, 64 * 64 * 4);
	gem_close(self->fd, info.bo_handle);
}

/* Without 3D, a resource that is not a plain 2D texture is EINVAL. */
TEST_F(virtgpu, resource_create_3d_shape_without_3d_is_einval)
{
	struct drm_virtgpu_resource_create rc = {
		.target = VGPU_TARGET_2D, .format = VGPU_FORMAT_B8G8R8X8,
		.width = 16, .height = 16, .depth = 4, .array_size = 1,
		.size = 16 * 16 * 4 * 4,
	};

	if (self->has_3d)
		SKIP(return, "the device has 3D");
	EXPECT_EQ(EINVAL, req(self->fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE, &rc));
}

/* RESOURCE_INFO, MAP and WAIT on a handle that does not exist: ENOENT. */
TEST_F(virtgpu, unknown_handle_is_enoent)
{
	struct drm_virtgpu_resource_info info = { .bo_handle = 0x7fff };
	struct drm_virtgpu_map map = { .handle = 0x7fff };
	struct drm_virtgpu_3d_wait wait = { .handle = 0x7fff };

	EXPECT_EQ(ENOENT, req(self->fd, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, &info));
	EXPECT_EQ(ENOENT, req(self->fd, DRM_IOCTL_VIRTGPU_MAP, &map));
	EXPECT_EQ(ENOENT, req(self->fd, DRM_IOCTL_VIRTGPU_WAIT, &wait));
}

/*
 * Pixels written through the mapping go to the host with a transfer, and
 * WAIT returns once the host is done with the resource.
 */
TEST_F(virtgpu, map_write_transfer_wait)
{
	struct drm_virtgpu_3d_transfer_to_host t = {
		.box = { .w = 64, .h = 64, .d = 1 },
	};
	struct drm_virtgpu_3d_wait wait = {};
	struct drm_virtgpu_map map = {};
	uint32_t *px;
	int i;

	map.handle = create_2d(_metadata, self->fd, NULL);
	ASSERT_EQ(0, req(self->fd, DRM_IOCTL_VIRTGPU_MAP, &map));
	px = mmap(NULL, 64 * 64 * 4, PROT_READ | PROT_WRITE, MAP_SHARED, self->fd,
		  map.offset);
	ASSERT_NE(MAP_FAILED, px);
	for (i = 0; i < 64 * 64; i++)
		px[i] = 0xff00ff00u ^ i;
	munmap(px, 64 * 64 * 4);

	t.bo_handle = map.handle;
	EXPECT_EQ(0, req(self->fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &t));
	wait.handle = map.handle;
	EXPECT_EQ(0, req(self->fd, DRM_IOCTL_VIRTGPU_WAIT, &wait));
	gem_close(self->fd, map.handle);
}

/* On a 2D device a box outside the resource never reaches the host. */
TEST_F(virtgpu, transfer_box_outside_resource_is_einval)
{
	struct drm_virtgpu_3d_transfer_to_host t = {
		.box = { .x = 32, .w = 64, .h = 1, .d = 1 },
	};

	if (self->has_3d)
		SKIP(return, "virgl checks 3D boxes itself");
	t.bo_handle = create_2d(_metadata, self->fd, NULL);
	EXPECT_EQ(EINVAL, req(self->fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &t));
	gem_close(self->fd, t.bo_handle);
}

/* What needs 3D is ENOSYS on a 2D device: reading back, EXECBUFFER. */
TEST_F(virtgpu, needs_3d_is_enosys_on_2d)
{
	struct drm_virtgpu_3d_transfer_from_host t = {
		.box = { .w = 1, .h = 1, .d = 1 },
	};
	struct drm_virtgpu_execbuffer eb = {};
	uint32_t cmd[2] = {};

	if (self->has_3d)
		SKIP(return, "the device has 3D");
	t.bo_handle = create_2d(_metadata, self->fd, NULL);
	EXPECT_EQ(ENOSYS, req(self->fd, DRM_IOCTL_VIRTGPU_TRANSFER_FROM_HOST, &t));
	eb.command = (uintptr_t)cmd;
	eb.size = sizeof(cmd);
	eb.fence_fd = -1;
	EXPECT_EQ(ENOSYS, req(self->fd, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb));
	gem_close(self->fd, t.bo_handle);
}

/* WAIT with a flag it does not know is EINVAL. */
TEST_F(virtgpu, wait_unknown_flag_is_einval)
{
	struct drm_virtgpu_3d_wait wait = { .flags = 0x80 };

	wait.handle = create_2d(_metadata, self->fd, NULL);
	EXPECT_EQ(EINVAL, req(self->fd, DRM_IOCTL_VIRTGPU_WAIT, &wait));
	gem_close(self->fd, wait.handle);
}

/* A guest blob is created; size 0 and an unknown memory type are EINVAL. */
TEST_F(virtgpu, blob_guest_and_bad_blobs)
{
	struct drm_virtgpu_resource_create_blob b = {
		.blob_mem = VIRTGPU_BLOB_MEM_GUEST,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_MAPPABLE,
		.size = 4096,
	};

	if (!self->has_blob)
		SKIP(return, "the device has no blob resources");
	EXPECT_EQ(0, req(self->fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &b));
	gem_close(self->fd, b.bo_handle);

	b.size = 0;
	EXPECT_EQ(EINVAL, req(self->fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &b));
	b.size = 4096;
	b.blob_mem = 9;
	EXPECT_EQ(EINVAL, req(self->fd, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE_BLOB, &b));
}

/* CONTEXT_INIT needs a device with context init and 3D: EINVAL otherwise. */
TEST_F(virtgpu, context_init_without_support_is_einval)
{
	struct drm_virtgpu_context_set_param p = {
		.param = VIRTGPU_CONTEXT_PARAM_NUM_RINGS, .value = 2,
	};
	struct drm_virtgpu_context_init ci = {
		.num_params = 1, .ctx_set_params = (uintptr_t)&p,
	};
	int has_init = 0;

	ASSERT_EQ(0, getparam(self->fd, VIRTGPU_PARAM_CONTEXT_INIT, &has_init));
	if (has_init && self->has_3d)
		SKIP(return, "the device has context init");
	EXPECT_EQ(EINVAL, req(self->fd, DRM_IOCTL_VIRTGPU_CONTEXT_INIT, &ci));
}

/* Many resources created and closed in a row leave the device usable. */
TEST_F(virtgpu, many_resources_then_transfer)
{
	struct drm_virtgpu_3d_transfer_to_host t = {
		.box = { .w = 8, .h = 8, .d = 1 },
	};
	struct drm_virtgpu_3d_wait wait = {};
	int i;

	for (i = 0; i < 256; i++)
		gem_close(self->fd, create_2d(_metadata, self->fd, NULL));
	t.bo_handle = create_2d(_metadata, self->fd, NULL);
	EXPECT_EQ(0, req(self->fd, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &t));
	wait.handle = t.bo_handle;
	EXPECT_EQ(0, req(self->fd, DRM_IOCTL_VIRTGPU_WAIT, &wait));
	gem_close(self->fd, t.bo_handle);
}

TEST_HARNESS_MAIN
