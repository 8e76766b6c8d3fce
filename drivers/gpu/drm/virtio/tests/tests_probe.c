// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_probe: feature negotiation for every feature the
 * driver knows, and probe refusing a bad device config without leaving
 * anything behind.
 */

#include <kunit/test.h>
#include <linux/bitops.h>

#include "vgpu_test.h"
/* Only for a config the fake's constructor refuses to describe. */
#include "fake_priv.h"

#define ALL_DEVICE_FEATURES (VGPU_FAKE_F_VIRGL | VGPU_FAKE_F_EDID | \
			     VGPU_FAKE_F_RESOURCE_UUID | VGPU_FAKE_F_RESOURCE_BLOB | \
			     VGPU_FAKE_F_CONTEXT_INIT)
/* A device feature bit no virtio-gpu driver knows. */
#define UNKNOWN_FEATURE		BIT_ULL(20)

struct feat_case {
	const char *name;
	u64 features;
};

static const struct feat_case feat_cases[] = {
	{ "none", 0 },
	{ "virgl", VGPU_FAKE_F_VIRGL },
	{ "edid", VGPU_FAKE_F_EDID },
	{ "resource-uuid", VGPU_FAKE_F_RESOURCE_UUID },
	{ "resource-blob", VGPU_FAKE_F_RESOURCE_BLOB },
	{ "context-init", VGPU_FAKE_F_CONTEXT_INIT },
	{ "indirect-desc", VGPU_FAKE_F_INDIRECT_DESC },
	{ "virgl-context-init", VGPU_FAKE_F_VIRGL | VGPU_FAKE_F_CONTEXT_INIT },
	{ "virgl-blob-uuid", VGPU_FAKE_F_VIRGL | VGPU_FAKE_F_RESOURCE_BLOB |
			     VGPU_FAKE_F_RESOURCE_UUID },
	{ "edid-indirect", VGPU_FAKE_F_EDID | VGPU_FAKE_F_INDIRECT_DESC },
	{ "blob-context-init-indirect", VGPU_FAKE_F_RESOURCE_BLOB |
					VGPU_FAKE_F_CONTEXT_INIT |
					VGPU_FAKE_F_INDIRECT_DESC },
	{ "all", ALL_DEVICE_FEATURES | VGPU_FAKE_F_INDIRECT_DESC },
	{ "all-and-unknown", ALL_DEVICE_FEATURES | VGPU_FAKE_F_INDIRECT_DESC |
			     UNKNOWN_FEATURE },
};

static void feat_case_desc(const struct feat_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(feat_case, feat_cases, feat_case_desc);

/*
 * The driver probes a device offering a feature combination: each has_*
 * flag is set exactly when its feature was offered, the device accepted
 * exactly the offered features the driver knows, and the device is live
 * with both queues and the config it advertised.
 */
static void probe_features(struct kunit *test)
{
	const struct feat_case *c = test->param_value;
	const u64 known = ALL_DEVICE_FEATURES | VGPU_FAKE_F_INDIRECT_DESC |
			  VGPU_FAKE_F_VERSION_1;
	struct vgpu_fake_host_config cfg;
	struct virtio_gpu_device *vgdev;
	u64 offered = VGPU_FAKE_F_VERSION_1 | c->features;
	u8 status;
	struct vgt *t;

	vgt_config(&cfg, offered);
	t = vgt_create(test, &cfg);
	vgdev = t->vgdev;

	KUNIT_EXPECT_EQ(test, vgdev->has_virgl_3d, !!(offered & VGPU_FAKE_F_VIRGL));
	KUNIT_EXPECT_EQ(test, vgdev->has_edid, !!(offered & VGPU_FAKE_F_EDID));
	KUNIT_EXPECT_EQ(test, vgdev->has_resource_uuid,
			!!(offered & VGPU_FAKE_F_RESOURCE_UUID));
	KUNIT_EXPECT_EQ(test, vgdev->has_resource_blob,
			!!(offered & VGPU_FAKE_F_RESOURCE_BLOB));
	KUNIT_EXPECT_EQ(test, vgdev->has_context_init,
			!!(offered & VGPU_FAKE_F_CONTEXT_INIT));
	KUNIT_EXPECT_EQ(test, vgdev->has_indirect,
			!!(offered & VGPU_FAKE_F_INDIRECT_DESC));
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_driver_features(t->host), offered & known);

	status = vgpu_fake_host_status(t->host);
	KUNIT_EXPECT_TRUE(test, status & VIRTIO_CONFIG_S_FEATURES_OK);
	KUNIT_EXPECT_TRUE(test, status & VIRTIO_CONFIG_S_DRIVER_OK);
	KUNIT_EXPECT_FALSE(test, status & VIRTIO_CONFIG_S_FAILED);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_live_vqs(t->host), 2);
	KUNIT_EXPECT_EQ(test, vgdev->num_scanouts, cfg.num_scanouts);
	KUNIT_EXPECT_EQ(test, vgdev->num_capsets, cfg.num_capsets);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(vgdev->unplugged));
}

static const u32 scanout_counts[] = { 0, 1, VIRTIO_GPU_MAX_SCANOUTS };

static void scanout_desc(const u32 *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u-scanouts", *n);
}

KUNIT_ARRAY_PARAM(scanouts, scanout_counts, scanout_desc);

/*
 * Any scanout count up to VIRTIO_GPU_MAX_SCANOUTS probes, and the driver
 * records the count of the device config.
 */
static void probe_scanouts(struct kunit *test)
{
	const u32 *n = test->param_value;
	struct vgpu_fake_host_config cfg;
	struct vgt *t;

	vgt_config(&cfg, VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_EDID);
	cfg.num_scanouts = *n;
	t = vgt_create(test, &cfg);
	KUNIT_EXPECT_EQ(test, t->vgdev->num_scanouts, *n);
}

struct bad_cfg {
	const char *name;
	u64 features;
	u32 num_scanouts;	/* written to the config space as is */
	u32 num_capsets;	/* written to the config space as is */
};

static const struct bad_cfg bad_cfgs[] = {
	{ "no-version-1", VGPU_FAKE_F_VIRGL | VGPU_FAKE_F_EDID, 1, 0 },
	{ "no-version-1-no-features", 0, 1, 0 },
	{ "65-capsets", VGPU_FAKE_F_VERSION_1, 1, VIRTIO_GPU_MAX_CAPSETS + 1 },
	{ "huge-capsets", VGPU_FAKE_F_VERSION_1, 1, U32_MAX },
	{ "17-scanouts", VGPU_FAKE_F_VERSION_1, VIRTIO_GPU_MAX_SCANOUTS + 1, 0 },
	{ "huge-scanouts", VGPU_FAKE_F_VERSION_1, U32_MAX, 0 },
};

static void bad_cfg_desc(const struct bad_cfg *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(bad_cfg, bad_cfgs, bad_cfg_desc);

/*
 * Counts the fake's constructor refuses to describe go straight into its
 * config space, before the device is registered.
 */
static void poke_config(struct vgpu_fake_host *host, u32 num_scanouts,
			u32 num_capsets)
{
	mutex_lock(&host->lock);
	host->gpu_config.num_scanouts = cpu_to_le32(num_scanouts);
	host->gpu_config.num_capsets = cpu_to_le32(num_capsets);
	mutex_unlock(&host->lock);
}

/*
 * A device without VIRTIO_F_VERSION_1, or whose config asks for more
 * capsets or scanouts than the driver supports, is refused: no driver is
 * bound, the device status says FAILED and never DRIVER_OK, no virtqueue
 * is left set up and no command reached the host.
 */
static void probe_bad_config(struct kunit *test)
{
	const struct bad_cfg *c = test->param_value;
	struct vgpu_fake_host_config cfg;
	struct vgpu_fake_host *host;
	u8 status;

	vgpu_fake_host_default_config(&cfg);
	cfg.features = c->features;
	host = vgpu_fake_host_create_unregistered(test, &cfg);
	poke_config(host, c->num_scanouts, c->num_capsets);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_register(host), 0);

	KUNIT_EXPECT_FALSE(test, vgpu_fake_host_bound(host));
	KUNIT_EXPECT_NULL(test, vgpu_fake_host_drm(host));
	status = vgpu_fake_host_status(host);
	KUNIT_EXPECT_TRUE(test, status & VIRTIO_CONFIG_S_FAILED);
	KUNIT_EXPECT_FALSE(test, status & VIRTIO_CONFIG_S_DRIVER_OK);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_live_vqs(host), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO), 0);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_num_contexts(host), 0);
}

/*
 * A device refused at probe can be probed again once its config is fixed:
 * the failed attempt left nothing that stands in the way.
 */
static void probe_retry_after_failure(struct kunit *test)
{
	struct vgpu_fake_host_config cfg;
	struct vgpu_fake_host *host;
	struct virtio_device *vdev;
	struct vgt *t;

	vgt_config(&cfg, VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_VIRGL);
	host = vgpu_fake_host_create_unregistered(test, &cfg);
	poke_config(host, VIRTIO_GPU_MAX_SCANOUTS + 1, cfg.num_capsets);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_register(host), 0);
	KUNIT_ASSERT_FALSE(test, vgpu_fake_host_bound(host));

	poke_config(host, 1, cfg.num_capsets);
	vdev = vgpu_fake_host_vdev(host);
	KUNIT_ASSERT_EQ(test, device_reprobe(&vdev->dev), 0);
	t = vgt_bind(test, host);
	KUNIT_EXPECT_TRUE(test, t->vgdev->has_virgl_3d);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_live_vqs(host), 2);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO),
			cfg.num_capsets);
}

/*
 * A config announcing VIRTIO_GPU_MAX_CAPSETS capsets, the most the driver
 * takes, probes: each index is asked about once, the four the host
 * describes are kept and the indices it refuses to describe are left out.
 */
static void probe_max_capsets(struct kunit *test)
{
	struct vgpu_fake_host_config cfg;
	struct vgpu_fake_host *host;
	struct vgt *t;
	u32 i;

	vgt_config_3d(&cfg);
	host = vgpu_fake_host_create_unregistered(test, &cfg);
	poke_config(host, 1, VIRTIO_GPU_MAX_CAPSETS);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_register(host), 0);
	t = vgt_bind(test, host);

	KUNIT_EXPECT_EQ(test, t->vgdev->num_capsets, VIRTIO_GPU_MAX_CAPSETS);
	KUNIT_EXPECT_EQ(test, vgpu_fake_host_cmd_count(host, VIRTIO_GPU_CMD_GET_CAPSET_INFO),
			VIRTIO_GPU_MAX_CAPSETS);
	for (i = 0; i < VIRTIO_GPU_MAX_CAPSETS; i++)
		KUNIT_EXPECT_EQ_MSG(test, t->vgdev->capsets[i].valid, i < cfg.num_capsets,
				    "capset index %u", i);
	KUNIT_EXPECT_EQ(test, hweight64(t->vgdev->capset_mask), cfg.num_capsets);
}

static struct kunit_case probe_cases[] = {
	KUNIT_CASE_PARAM(probe_features, feat_case_gen_params),
	KUNIT_CASE_PARAM(probe_scanouts, scanouts_gen_params),
	KUNIT_CASE_PARAM(probe_bad_config, bad_cfg_gen_params),
	KUNIT_CASE(probe_retry_after_failure),
	KUNIT_CASE(probe_max_capsets),
	{}
};

static struct kunit_suite probe_suite = {
	.name = "virtio_gpu_probe",
	.test_cases = probe_cases,
};

kunit_test_suite(probe_suite);
