// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite virtio_gpu_wire: the virtio-gpu wire protocol and UAPI,
 * driven against whatever virtio-gpu driver binds to the fake device.
 *
 * The suite uses only the virtio bus, vdev->priv (the driver's drm_device)
 * and the driver's ioctl table, so it runs against any virtio-gpu driver.
 * An ioctl the bound driver does not implement skips the case.
 */

#include <drm/drm_device.h>
#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_ioctl.h>
#include <drm/virtgpu_drm.h>
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mman.h>
#include <linux/uaccess.h>

#include "fake_host.h"

/* Base features of every configuration in this suite. */
#define WIRE_F_BASE	(VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_EDID)
#define WIRE_F_3D	(WIRE_F_BASE | VGPU_FAKE_F_VIRGL)
#define WIRE_F_ALL	(WIRE_F_3D | VGPU_FAKE_F_RESOURCE_UUID | \
			 VGPU_FAKE_F_RESOURCE_BLOB | \
			 VGPU_FAKE_F_CONTEXT_INIT | VGPU_FAKE_F_INDIRECT_DESC)

static const u8 wire_virgl_caps[] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06 };
static const u8 wire_virgl2_caps[] = { 0x11, 0x22, 0x33, 0x44 };
static const u8 wire_venus_caps[] = { 'v', 'e', 'n', 'u', 's' };

/**
 * struct wire_param - one device configuration of the suite
 * @desc: description, the parameter's name
 * @features: offered features
 * @num_scanouts: scanouts
 * @capsets: capset set, see wire_capsets()
 * @truncate: 32-bit fence ids in responses
 * @ctrl_queue_size: control queue size, 0 for the default
 */
struct wire_param {
	const char *desc;
	u64 features;
	u32 num_scanouts;
	int capsets;
	bool truncate;
	u32 ctrl_queue_size;
};

enum { WIRE_CAPS_NONE, WIRE_CAPS_VIRGL, WIRE_CAPS_MANY };

static void wire_capsets(struct vgpu_fake_host_config *cfg, int which)
{
	static const struct vgpu_fake_capset virgl[] = {
		{ VIRTIO_GPU_CAPSET_VIRGL, 1, 64, wire_virgl_caps,
		  sizeof(wire_virgl_caps) },
		{ VIRTIO_GPU_CAPSET_VIRGL2, 2, 128, wire_virgl2_caps,
		  sizeof(wire_virgl2_caps) },
	};
	static const struct vgpu_fake_capset many[] = {
		{ VIRTIO_GPU_CAPSET_VIRGL2, 2, 128, wire_virgl2_caps,
		  sizeof(wire_virgl2_caps) },
		{ VIRTIO_GPU_CAPSET_VENUS, 0, 160, wire_venus_caps,
		  sizeof(wire_venus_caps) },
		{ VIRTIO_GPU_CAPSET_DRM, 0, 16, NULL, 0 },
	};
	const struct vgpu_fake_capset *set = NULL;
	unsigned int i, n = 0;

	if (which == WIRE_CAPS_VIRGL) {
		set = virgl;
		n = ARRAY_SIZE(virgl);
	} else if (which == WIRE_CAPS_MANY) {
		set = many;
		n = ARRAY_SIZE(many);
	}
	cfg->num_capsets = n;
	for (i = 0; i < n; i++)
		cfg->capsets[i] = set[i];
}

static const struct wire_param wire_configs[] = {
	{ "2d", VGPU_FAKE_F_VERSION_1, 1, WIRE_CAPS_NONE },
	{ "2d-edid-indirect", WIRE_F_BASE | VGPU_FAKE_F_INDIRECT_DESC, 2,
	  WIRE_CAPS_NONE },
	{ "2d-no-scanout", VGPU_FAKE_F_VERSION_1, 0, WIRE_CAPS_NONE },
	{ "virgl", WIRE_F_3D, 1, WIRE_CAPS_VIRGL },
	{ "all-features", WIRE_F_ALL, 1, WIRE_CAPS_MANY },
};

static void wire_config_desc(const struct wire_param *p, char *desc)
{
	strscpy(desc, p->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(wire_configs, wire_configs, wire_config_desc);

static const struct wire_param wire_capset_configs[] = {
	{ "one-virgl-pair", WIRE_F_3D, 1, WIRE_CAPS_VIRGL },
	{ "three-capsets", WIRE_F_ALL, 1, WIRE_CAPS_MANY },
};

KUNIT_ARRAY_PARAM(wire_capset_configs, wire_capset_configs, wire_config_desc);

static const struct wire_param wire_fence_configs[] = {
	{ "64bit-ids", VGPU_FAKE_F_VERSION_1, 1, WIRE_CAPS_NONE },
	{ "32bit-ids", VGPU_FAKE_F_VERSION_1, 1, WIRE_CAPS_NONE, true },
	{ "indirect", VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_INDIRECT_DESC, 1,
	  WIRE_CAPS_NONE },
};

KUNIT_ARRAY_PARAM(wire_fence_configs, wire_fence_configs, wire_config_desc);

static void wire_make_config(const struct wire_param *p,
			     struct vgpu_fake_host_config *cfg)
{
	vgpu_fake_host_default_config(cfg);
	cfg->features = p->features;
	cfg->num_scanouts = p->num_scanouts;
	cfg->truncate_fence_ids = p->truncate;
	cfg->ctrl_queue_size = p->ctrl_queue_size;
	wire_capsets(cfg, p->capsets);
}

/* A fake device with a driver bound: fails the test when none binds. */
static struct vgpu_fake_host *wire_host(struct kunit *test,
					const struct vgpu_fake_host_config *cfg)
{
	struct vgpu_fake_host *host = vgpu_fake_host_create(test, cfg);

	KUNIT_ASSERT_TRUE_MSG(test,
			      vgpu_fake_host_bound(host),
						   "no virtio-gpu driver bound to the fake device");
	KUNIT_ASSERT_NOT_NULL(test, vgpu_fake_host_drm(host));
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));
	return host;
}

static struct vgpu_fake_host *wire_host_param(struct kunit *test)
{
	struct vgpu_fake_host_config cfg;

	wire_make_config(test->param_value, &cfg);
	return wire_host(test, &cfg);
}

KUNIT_DEFINE_ACTION_WRAPPER(wire_fput, __fput_sync, struct file *);

/* Open the render node (or the primary node) of the bound driver. */
static struct file *wire_open(struct kunit *test, struct vgpu_fake_host *host)
{
	struct drm_device *drm = vgpu_fake_host_drm(host);
	struct drm_minor *minor = drm->render ?: drm->primary;
	struct file *file;

	KUNIT_ASSERT_NOT_NULL(test, minor);
	file = mock_drm_getfile(minor, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, file);
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, wire_fput, file),
			0);
	return file;
}

/* Call the bound driver's handler of @cmd; skip when it has none. */
static int wire_ioctl(struct kunit *test, struct file *file, unsigned int cmd,
		      const char *name, void *data)
{
	struct drm_file *fpriv = file->private_data;
	const struct drm_driver *drv = fpriv->minor->dev->driver;
	unsigned int nr = DRM_IOCTL_NR(cmd);
	const struct drm_ioctl_desc *desc;

	if (nr < DRM_COMMAND_BASE || nr - DRM_COMMAND_BASE >= drv->num_ioctls ||
	    !drv->ioctls[nr - DRM_COMMAND_BASE].func)
		kunit_skip(test, "the bound driver has no %s ioctl", name);
	desc = &drv->ioctls[nr - DRM_COMMAND_BASE];
	return drm_ioctl_kernel(file, desc->func, data, desc->flags);
}

#define WIRE_IOCTL(test, file, name, data) \
	wire_ioctl(test, file, DRM_IOCTL_VIRTGPU_##name, #name, data)

/* User memory of @len bytes in the test thread's (KUnit-owned) mm. */
static void __user *wire_user_mem(struct kunit *test, size_t len)
{
	unsigned long addr;

	addr = kunit_vm_mmap(test, NULL, 0, len, PROT_READ | PROT_WRITE,
			     MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (!addr || IS_ERR_VALUE(addr))
		kunit_skip(test, "no user memory for the test thread");
	return (void __user *)addr;
}

static int wire_getparam(struct kunit *test, struct file *file, u64 param,
			 int *value)
{
	int __user *uval = wire_user_mem(test, PAGE_SIZE);
	struct drm_virtgpu_getparam gp = {
		.param = param,
		.value = (uintptr_t)uval,
	};
	int ret;

	ret = WIRE_IOCTL(test, file, GETPARAM, &gp);
	if (!ret)
		KUNIT_ASSERT_EQ(test, copy_from_user(value, uval, sizeof(*value)),
				0);
	return ret;
}

/* Create a one-page 2D resource with RESOURCE_CREATE; returns the handle. */
static u32 wire_create_2d(struct kunit *test, struct file *file)
{
	struct drm_virtgpu_resource_create rc = {
		.target = 2,		/* PIPE_TEXTURE_2D */
		.format = VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM,
		.width = 32,
		.height = 32,
		.depth = 1,
		.array_size = 1,
		.nr_samples = 0,
		.size = PAGE_SIZE,
		.stride = 32 * 4,
	};

	KUNIT_ASSERT_EQ(test, WIRE_IOCTL(test, file, RESOURCE_CREATE, &rc), 0);
	KUNIT_EXPECT_NE(test, rc.res_handle, 0);
	return rc.bo_handle;
}

static int wire_wait(struct kunit *test, struct file *file, u32 handle,
		     bool nowait)
{
	struct drm_virtgpu_3d_wait w = {
		.handle = handle,
		.flags = nowait ? VIRTGPU_WAIT_NOWAIT : 0,
	};

	return WIRE_IOCTL(test, file, WAIT, &w);
}

/*
 * Probe: a virtio-gpu driver binds to every feature combination, accepts
 * VERSION_1, sets up both queues and reaches DRIVER_OK.
 */
static void wire_probe_binds(struct kunit *test)
{
	const struct wire_param *p = test->param_value;
	struct vgpu_fake_host *host = wire_host_param(test);
	u64 accepted = vgpu_fake_host_driver_features(host);

	KUNIT_EXPECT_TRUE(test, accepted & VGPU_FAKE_F_VERSION_1);
	KUNIT_EXPECT_EQ(test, accepted & ~p->features, 0);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_status(host) &
				VIRTIO_CONFIG_S_DRIVER_OK);
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_status(host) &
				 VIRTIO_CONFIG_S_FAILED);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_live_vqs(host), 2);
}

/*
 * Probe: the driver asks for each capset's info exactly once, in index
 * order, and no init command gets an error response.
 */
static void wire_probe_capset_info(struct kunit *test)
{
	const struct wire_param *p = test->param_value;
	struct vgpu_fake_host *host = wire_host_param(test);
	struct virtio_gpu_get_capset_info last;
	u32 n = 0;

	if (p->capsets == WIRE_CAPS_VIRGL)
		n = 2;
	else if (p->capsets == WIRE_CAPS_MANY)
		n = 3;
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_wait_cmds(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO, n));
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO), n);
	if (n) {
		KUNIT_ASSERT_EQ(test,
				vgpu_fake_host_last_cmd(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO, &last,
							sizeof(last)), sizeof(last));
		KUNIT_EXPECT_EQ(test, le32_to_cpu(last.capset_index), n - 1);
	}
	KUNIT_EXPECT_EQ(test,
			vgpu_fake_host_responses(host, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_responses(host, VIRTIO_GPU_RESP_ERR_UNSPEC), 0);
}

/*
 * Probe: without VERSION_1 the driver refuses the device; it is left
 * unbound, with no queues, no host objects and FAILED in its status.
 */
static void wire_probe_no_version_1(struct kunit *test)
{
	struct vgpu_fake_host_config cfg;
	struct vgpu_fake_host *host;

	vgpu_fake_host_default_config(&cfg);
	cfg.features &= ~VGPU_FAKE_F_VERSION_1;
	host = vgpu_fake_host_create(test, &cfg);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));

	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_bound(host));
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_drm(host));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_live_vqs(host), 0);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_status(host) &
				VIRTIO_CONFIG_S_FAILED);
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_status(host) &
				 VIRTIO_CONFIG_S_DRIVER_OK);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(host), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(host), 0);
}

/*
 * Unbind: removing the driver resets the device and deletes its queues;
 * binding again probes the device anew.
 */
static void wire_unbind_rebind(struct kunit *test)
{
	struct vgpu_fake_host *host = wire_host(test, NULL);
	struct virtio_device *vdev = vgpu_fake_host_vdev(host);

	device_release_driver(&vdev->dev);
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_bound(host));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_live_vqs(host), 0);
	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_status(host) &
				 VIRTIO_CONFIG_S_DRIVER_OK);

	KUNIT_ASSERT_GE(test, device_attach(&vdev->dev), 0);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_bound(host));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_live_vqs(host), 2);
	KUNIT_EXPECT_TRUE(test, vgpu_fake_host_sync(host));
}

/*
 * GET_CAPS returns each capset's bytes as the host sent them, zero padded
 * to the capset's size.
 */
static void wire_get_caps(struct kunit *test)
{
	struct vgpu_fake_host *host = wire_host_param(test);
	struct file *file = wire_open(test, host);
	struct vgpu_fake_host_config cfg;
	unsigned int i;
	u8 *buf, *want;

	wire_make_config(test->param_value, &cfg);
	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	want = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, buf);
	KUNIT_ASSERT_NOT_NULL(test, want);

	for (i = 0; i < cfg.num_capsets; i++) {
		const struct vgpu_fake_capset *cs = &cfg.capsets[i];
		void __user *ubuf = wire_user_mem(test, PAGE_SIZE);
		struct drm_virtgpu_get_caps gc = {
			.cap_set_id = cs->id,
			.cap_set_ver = cs->max_version,
			.addr = (uintptr_t)ubuf,
			.size = cs->max_size,
		};

		KUNIT_ASSERT_EQ(test, WIRE_IOCTL(test, file, GET_CAPS, &gc), 0);
		KUNIT_ASSERT_EQ(test, copy_from_user(buf, ubuf, cs->max_size), 0);
		memset(want, 0, PAGE_SIZE);
		if (cs->data)
			memcpy(want, cs->data, cs->data_len);
		KUNIT_EXPECT_MEMEQ(test, buf, want, cs->max_size);
	}
	KUNIT_EXPECT_EQ(test,
			vgpu_fake_host_responses(host, VIRTIO_GPU_RESP_OK_CAPSET), cfg.num_capsets);
}

/* GET_CAPS for a capset id the host does not offer fails. */
static void wire_get_caps_unknown(struct kunit *test)
{
	struct vgpu_fake_host_config cfg;
	struct vgpu_fake_host *host;
	struct file *file;
	struct drm_virtgpu_get_caps gc = {
		.cap_set_id = 42,
		.size = 16,
	};

	vgpu_fake_host_default_config(&cfg);
	cfg.features = WIRE_F_3D;
	wire_capsets(&cfg, WIRE_CAPS_VIRGL);
	host = wire_host(test, &cfg);
	file = wire_open(test, host);
	gc.addr = (uintptr_t)wire_user_mem(test, PAGE_SIZE);

	KUNIT_EXPECT_LT(test, WIRE_IOCTL(test, file, GET_CAPS, &gc), 0);
	gc.cap_set_id = VIRTIO_GPU_CAPSET_VIRGL;
	gc.cap_set_ver = 99;
	KUNIT_EXPECT_LT(test, WIRE_IOCTL(test, file, GET_CAPS, &gc), 0);
}

/* GETPARAM reports what the device offered. */
static void wire_getparam_features(struct kunit *test)
{
	const struct wire_param *p = test->param_value;
	struct vgpu_fake_host *host = wire_host_param(test);
	struct file *file = wire_open(test, host);
	struct vgpu_fake_host_config cfg;
	u32 mask = 0;
	unsigned int i;
	int val;

	wire_make_config(p, &cfg);
	for (i = 0; i < cfg.num_capsets; i++)
		mask |= BIT(cfg.capsets[i].id);

	KUNIT_ASSERT_EQ(test, wire_getparam(test, file,
					    VIRTGPU_PARAM_3D_FEATURES, &val), 0);
	KUNIT_EXPECT_EQ(test, val, !!(p->features & VGPU_FAKE_F_VIRGL));
	KUNIT_ASSERT_EQ(test, wire_getparam(test, file,
					    VIRTGPU_PARAM_CAPSET_QUERY_FIX, &val), 0);
	KUNIT_EXPECT_EQ(test, val, 1);
	KUNIT_ASSERT_EQ(test, wire_getparam(test, file,
					    VIRTGPU_PARAM_RESOURCE_BLOB, &val), 0);
	KUNIT_EXPECT_EQ(test, val, !!(p->features & VGPU_FAKE_F_RESOURCE_BLOB));
	KUNIT_ASSERT_EQ(test, wire_getparam(test, file,
					    VIRTGPU_PARAM_HOST_VISIBLE, &val), 0);
	KUNIT_EXPECT_EQ(test, val, 0);
	KUNIT_ASSERT_EQ(test, wire_getparam(test, file,
					    VIRTGPU_PARAM_CROSS_DEVICE, &val), 0);
	KUNIT_EXPECT_EQ(test, val, !!(p->features & VGPU_FAKE_F_RESOURCE_UUID));
	KUNIT_ASSERT_EQ(test, wire_getparam(test, file,
					    VIRTGPU_PARAM_CONTEXT_INIT, &val), 0);
	KUNIT_EXPECT_EQ(test, val, !!(p->features & VGPU_FAKE_F_CONTEXT_INIT));
	KUNIT_ASSERT_EQ(test, wire_getparam(test, file,
					    VIRTGPU_PARAM_SUPPORTED_CAPSET_IDs,
					    &val), 0);
	KUNIT_EXPECT_EQ(test, (u32)val, mask);
}

/* GETPARAM of an unknown parameter fails with -EINVAL. */
static void wire_getparam_unknown(struct kunit *test)
{
	struct vgpu_fake_host *host = wire_host(test, NULL);
	struct file *file = wire_open(test, host);
	int val;

	KUNIT_EXPECT_EQ(test, wire_getparam(test, file, 0x7fff, &val), -EINVAL);
}

/*
 * Fenced round trip on the global timeline: with the timeline held the
 * resource exists on the host but its fence is pending, the unfenced
 * TRANSFER_TO_HOST is answered anyway, WAIT with NOWAIT says -EBUSY; once
 * the test completes the fence, WAIT succeeds.
 */
static void wire_fence_roundtrip(struct kunit *test)
{
	struct vgpu_fake_host *host = wire_host_param(test);
	struct file *file = wire_open(test, host);
	struct drm_virtgpu_3d_transfer_to_host tth = {
		.box = { .w = 32, .h = 32, .d = 1 },
	};
	u64 fence, last;

	vgpu_fake_host_hold(host, VGPU_FAKE_GLOBAL);
	tth.bo_handle = wire_create_2d(test, file);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(host), 1);
	KUNIT_ASSERT_GE(test, vgpu_fake_host_parked(host, VGPU_FAKE_GLOBAL), 1);
	fence = vgpu_fake_host_last_fence(host, VGPU_FAKE_GLOBAL);
	KUNIT_EXPECT_NE(test, fence, 0);

	KUNIT_ASSERT_EQ(test, WIRE_IOCTL(test, file, TRANSFER_TO_HOST, &tth), 0);
	KUNIT_ASSERT_TRUE(test,
			  vgpu_fake_host_wait_cmds(host, VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D, 1));
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));

	/* Whether a 2D transfer is fenced is the driver's choice: complete all. */
	KUNIT_EXPECT_EQ(test, wire_wait(test, file, tth.bo_handle, true), -EBUSY);
	last = vgpu_fake_host_last_fence(host, VGPU_FAKE_GLOBAL);
	KUNIT_EXPECT_GE(test, last, fence);
	KUNIT_EXPECT_GE(test, vgpu_fake_host_complete(host, VGPU_FAKE_GLOBAL, last), 1);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_parked(host, VGPU_FAKE_GLOBAL), 0);
	KUNIT_EXPECT_EQ(test, wire_wait(test, file, tth.bo_handle, false), 0);
	KUNIT_EXPECT_EQ(test, wire_wait(test, file, tth.bo_handle, true), 0);
}

/*
 * In-order completion: three fenced creations parked on the global
 * timeline; completing up to the second fence returns two responses and
 * signals the first two objects only.
 */
static void wire_fence_partial_complete(struct kunit *test)
{
	struct vgpu_fake_host *host = wire_host(test, NULL);
	struct file *file = wire_open(test, host);
	u64 fence[3], ids[4];
	u32 bo[3];
	int i;

	vgpu_fake_host_hold(host, VGPU_FAKE_GLOBAL);
	for (i = 0; i < 3; i++) {
		bo[i] = wire_create_2d(test, file);
		KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));
		fence[i] = vgpu_fake_host_last_fence(host, VGPU_FAKE_GLOBAL);
	}
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_parked(host, VGPU_FAKE_GLOBAL), 3);
	KUNIT_ASSERT_LT(test, fence[0], fence[1]);
	KUNIT_ASSERT_LT(test, fence[1], fence[2]);
	/* The parked ids are the three fences, oldest first, and no more. */
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_parked_ids(host, VGPU_FAKE_GLOBAL,
							ids, ARRAY_SIZE(ids)), 3);
	KUNIT_EXPECT_EQ(test, ids[0], fence[0]);
	KUNIT_EXPECT_EQ(test, ids[1], fence[1]);
	KUNIT_EXPECT_EQ(test, ids[2], fence[2]);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_parked_ids(host, VGPU_FAKE_GLOBAL,
							ids, 2), 2);

	KUNIT_EXPECT_EQ(test,
			vgpu_fake_host_complete(host, VGPU_FAKE_GLOBAL, fence[1]), 2);
	KUNIT_EXPECT_EQ(test, wire_wait(test, file, bo[1], false), 0);
	KUNIT_EXPECT_EQ(test, wire_wait(test, file, bo[0], true), 0);
	KUNIT_EXPECT_EQ(test, wire_wait(test, file, bo[2], true), -EBUSY);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(host, VGPU_FAKE_GLOBAL), 1);
	KUNIT_EXPECT_EQ(test, wire_wait(test, file, bo[2], false), 0);
}

/*
 * An error response still carries FLAG_FENCE: the driver's fence for the
 * failed command signals and WAIT returns.
 */
static void wire_fence_error_response(struct kunit *test)
{
	struct vgpu_fake_host *host = wire_host(test, NULL);
	struct file *file = wire_open(test, host);
	u32 bo;

	vgpu_fake_host_fail_next(host, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D,
				 VIRTIO_GPU_RESP_ERR_UNSPEC);
	bo = wire_create_2d(test, file);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_responses(host, VIRTIO_GPU_RESP_ERR_UNSPEC), 1);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(host), 0);
	KUNIT_EXPECT_EQ(test, wire_wait(test, file, bo, false), 0);
}

/*
 * A device reset drops the parked response: the fence of the dropped
 * command never signals.
 */
static void wire_reset_drops_parked(struct kunit *test)
{
	struct vgpu_fake_host *host = wire_host(test, NULL);
	struct file *file = wire_open(test, host);
	u32 bo;

	vgpu_fake_host_hold(host, VGPU_FAKE_GLOBAL);
	bo = wire_create_2d(test, file);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_parked(host, VGPU_FAKE_GLOBAL), 1);

	vgpu_fake_host_reset(host);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_parked(host, VGPU_FAKE_GLOBAL), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_release(host, VGPU_FAKE_GLOBAL), 0);
	KUNIT_EXPECT_EQ(test, wire_wait(test, file, bo, true), -EBUSY);
}

/*
 * A held control queue returns nothing: the host takes no command until
 * the queue is released, then takes the queued ones in order.
 */
static void wire_queue_hold(struct kunit *test)
{
	struct vgpu_fake_host *host = wire_host(test, NULL);
	struct file *file = wire_open(test, host);
	u32 bo;

	vgpu_fake_host_hold_queue(host);
	bo = wire_create_2d(test, file);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(host, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D), 0);
	KUNIT_EXPECT_EQ(test, wire_wait(test, file, bo, true), -EBUSY);

	vgpu_fake_host_release_queue(host);
	KUNIT_ASSERT_TRUE(test,
			  vgpu_fake_host_wait_cmds(host, VIRTIO_GPU_CMD_RESOURCE_CREATE_2D, 1));
	KUNIT_EXPECT_EQ(test, wire_wait(test, file, bo, false), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(host), 1);
}

/*
 * Backing: a created resource gets guest memory attached; with a tiny
 * control queue the driver waits for free descriptors and all creations
 * still arrive.
 */
static void wire_backing_small_queue(struct kunit *test)
{
	struct vgpu_fake_host_config cfg;
	struct vgpu_fake_res_info info;
	struct vgpu_fake_host *host;
	struct file *file;
	u32 bo[6];
	int i;

	vgpu_fake_host_default_config(&cfg);
	cfg.ctrl_queue_size = 4;
	host = wire_host(test, &cfg);
	file = wire_open(test, host);

	for (i = 0; i < ARRAY_SIZE(bo); i++)
		bo[i] = wire_create_2d(test, file);
	for (i = 0; i < ARRAY_SIZE(bo); i++)
		KUNIT_EXPECT_EQ(test, wire_wait(test, file, bo[i], false), 0);
	KUNIT_ASSERT_TRUE(test,
			  vgpu_fake_host_wait_cmds(host, VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING,
						   ARRAY_SIZE(bo)));
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_resources(host), ARRAY_SIZE(bo));
	for (i = 1; i <= ARRAY_SIZE(bo); i++) {
		if (!vgpu_fake_host_get_res(host, i, &info))
			continue;
		KUNIT_EXPECT_EQ(test, info.kind, VGPU_FAKE_RES_2D);
		KUNIT_EXPECT_GE(test, info.backing_entries, 1);
		KUNIT_EXPECT_GE(test, info.backing_bytes, PAGE_SIZE);
	}
}

/* WAIT on a handle that does not exist fails with -ENOENT. */
static void wire_wait_bad_handle(struct kunit *test)
{
	struct vgpu_fake_host *host = wire_host(test, NULL);
	struct file *file = wire_open(test, host);

	KUNIT_EXPECT_EQ(test, wire_wait(test, file, 0x1234, true), -ENOENT);
}

/*
 * CONTEXT_INIT creates the host context with the chosen capset and the
 * debug name the process gave.
 */
static void wire_context_init(struct kunit *test)
{
	static const char name[] = "wire-test";
	struct drm_virtgpu_context_set_param params[3] = {
		{ VIRTGPU_CONTEXT_PARAM_CAPSET_ID, VIRTIO_GPU_CAPSET_VENUS },
		{ VIRTGPU_CONTEXT_PARAM_NUM_RINGS, 2 },
		{ VIRTGPU_CONTEXT_PARAM_DEBUG_NAME, 0 },
	};
	struct drm_virtgpu_context_init ci = { .num_params = 3 };
	struct vgpu_fake_host_config cfg;
	struct vgpu_fake_ctx_info info;
	struct virtio_gpu_ctx_create cc;
	struct vgpu_fake_host *host;
	void __user *umem;
	struct file *file;

	vgpu_fake_host_default_config(&cfg);
	cfg.features = WIRE_F_ALL;
	wire_capsets(&cfg, WIRE_CAPS_MANY);
	host = wire_host(test, &cfg);
	file = wire_open(test, host);
	umem = wire_user_mem(test, PAGE_SIZE);

	KUNIT_ASSERT_EQ(test, copy_to_user(umem + 512, name, sizeof(name)), 0);
	params[2].value = (uintptr_t)(umem + 512);
	KUNIT_ASSERT_EQ(test, copy_to_user(umem, params, sizeof(params)), 0);
	ci.ctx_set_params = (uintptr_t)umem;

	KUNIT_ASSERT_EQ(test, WIRE_IOCTL(test, file, CONTEXT_INIT, &ci), 0);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_wait_cmds(host, VIRTIO_GPU_CMD_CTX_CREATE, 1));
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));
	KUNIT_ASSERT_EQ(test,
			vgpu_fake_host_last_cmd(host, VIRTIO_GPU_CMD_CTX_CREATE, &cc, sizeof(cc)),
						sizeof(cc));
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_get_ctx(host, le32_to_cpu(cc.hdr.ctx_id), &info));
	KUNIT_EXPECT_EQ(test, info.capset_id, VIRTIO_GPU_CAPSET_VENUS);
	KUNIT_EXPECT_STREQ(test, info.debug_name, name);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(host), 1);
}

/* CONTEXT_INIT with a capset the device does not offer fails. */
static void wire_context_init_bad_capset(struct kunit *test)
{
	struct drm_virtgpu_context_set_param param = {
		VIRTGPU_CONTEXT_PARAM_CAPSET_ID, 33
	};
	struct drm_virtgpu_context_init ci = { .num_params = 1 };
	struct vgpu_fake_host_config cfg;
	struct vgpu_fake_host *host;
	void __user *umem;
	struct file *file;

	vgpu_fake_host_default_config(&cfg);
	cfg.features = WIRE_F_ALL;
	wire_capsets(&cfg, WIRE_CAPS_MANY);
	host = wire_host(test, &cfg);
	file = wire_open(test, host);
	umem = wire_user_mem(test, PAGE_SIZE);
	KUNIT_ASSERT_EQ(test, copy_to_user(umem, &param, sizeof(param)), 0);
	ci.ctx_set_params = (uintptr_t)umem;

	KUNIT_EXPECT_EQ(test, WIRE_IOCTL(test, file, CONTEXT_INIT, &ci),
			-EINVAL);
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(host), 0);
}

/*
 * RESOURCE_CREATE_BLOB with guest memory: the host sees a guest blob with
 * its memory entries.
 */
static void wire_blob_guest(struct kunit *test)
{
	struct drm_virtgpu_resource_create_blob rcb = {
		.blob_mem = VIRTGPU_BLOB_MEM_GUEST,
		.blob_flags = VIRTGPU_BLOB_FLAG_USE_SHAREABLE,
		.size = 2 * PAGE_SIZE,
	};
	struct vgpu_fake_host_config cfg;
	struct vgpu_fake_res_info info;
	struct vgpu_fake_host *host;
	struct file *file;

	vgpu_fake_host_default_config(&cfg);
	cfg.features = WIRE_F_BASE | VGPU_FAKE_F_RESOURCE_BLOB;
	host = wire_host(test, &cfg);
	file = wire_open(test, host);

	KUNIT_ASSERT_EQ(test, WIRE_IOCTL(test, file, RESOURCE_CREATE_BLOB, &rcb),
			0);
	KUNIT_ASSERT_TRUE(test,
			  vgpu_fake_host_wait_cmds(host, VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB, 1));
	KUNIT_ASSERT_TRUE(test, vgpu_fake_host_sync(host));
	KUNIT_ASSERT_TRUE(test,
			  vgpu_fake_host_get_res(host, rcb.res_handle, &info));
	KUNIT_EXPECT_EQ(test, info.kind, VGPU_FAKE_RES_BLOB);
	KUNIT_EXPECT_EQ(test, info.blob_mem, VIRTIO_GPU_BLOB_MEM_GUEST);
	KUNIT_EXPECT_EQ(test, info.size, 2 * PAGE_SIZE);
	KUNIT_EXPECT_GE(test, info.backing_entries, 1);
	KUNIT_EXPECT_EQ(test, info.backing_bytes, 2 * PAGE_SIZE);
}

static struct kunit_case wire_cases[] = {
	KUNIT_CASE_PARAM(wire_probe_binds, wire_configs_gen_params),
	KUNIT_CASE_PARAM(wire_probe_capset_info, wire_configs_gen_params),
	KUNIT_CASE(wire_probe_no_version_1),
	KUNIT_CASE(wire_unbind_rebind),
	KUNIT_CASE_PARAM(wire_get_caps, wire_capset_configs_gen_params),
	KUNIT_CASE(wire_get_caps_unknown),
	KUNIT_CASE_PARAM(wire_getparam_features, wire_configs_gen_params),
	KUNIT_CASE(wire_getparam_unknown),
	KUNIT_CASE_PARAM(wire_fence_roundtrip, wire_fence_configs_gen_params),
	KUNIT_CASE(wire_fence_partial_complete),
	KUNIT_CASE(wire_fence_error_response),
	KUNIT_CASE(wire_reset_drops_parked),
	KUNIT_CASE(wire_queue_hold),
	KUNIT_CASE(wire_backing_small_queue),
	KUNIT_CASE(wire_wait_bad_handle),
	KUNIT_CASE(wire_context_init),
	KUNIT_CASE(wire_context_init_bad_capset),
	KUNIT_CASE(wire_blob_guest),
	{}
};

MODULE_DESCRIPTION("KUnit tests of the virtio-gpu wire protocol on a fake device");
MODULE_LICENSE("GPL");

VGPU_FAKE_SUITES(wire_suite, "virtio_gpu_wire", wire_cases);
