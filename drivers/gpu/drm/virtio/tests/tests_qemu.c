// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * KUnit suite virtio_gpu_qemu_device: the driver on a real virtio-gpu-pci
 * device, the one scripts/kunit.sh gives the QEMU machine of x86_64 runs.
 *
 * The device is looked up on the PCI bus: a virtio PCI function whose
 * virtio child is a GPU this driver is bound to. Ioctls go through a DRM
 * file on the device's render node and drm_ioctl_kernel(), with the
 * pointers they carry into user memory mapped for the test thread. The
 * suite skips on UML, and wherever no such device is bound.
 *
 * The device is 2D (no VIRGL): resources are created with
 * RESOURCE_CREATE_2D and ATTACH_BACKING, transfers are
 * TRANSFER_TO_HOST_2D, and 3D ioctls are refused.
 */

#include <kunit/test.h>
#include <linux/dma-fence.h>
#include <linux/dma-resv.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/mman.h>
#include <linux/pci.h>
#include <linux/uaccess.h>
#include <linux/virtio.h>
#include <linux/virtio_ids.h>

#include <drm/drm_drv.h>
#include <drm/drm_file.h>
#include <drm/drm_gem.h>
#include <drm/drm_ioctl.h>
#include <drm/virtgpu_drm.h>

#include "../virtgpu_drv.h"

/* Name of the driver's virtio driver (its module name). */
#define QD_VIRTIO_DRIVER	"virtio_gpu"

/* Bytes of user memory each test maps. */
#define QD_USER_BYTES		(4 * PAGE_SIZE)

/* The texture the tests create: 64x64 B8G8R8X8, four pages. */
#define QD_WIDTH		64
#define QD_HEIGHT		64
#define QD_BO_SIZE		(QD_WIDTH * QD_HEIGHT * 4)

/**
 * struct qd - a test's view of the machine's virtio-gpu device
 * @test: the test
 * @drm: the DRM device of the driver, referenced
 * @vgdev: the driver's device
 * @ubase: the test thread's user mapping
 * @uoff: bytes of the mapping handed out by qd_ualloc()
 */
struct qd {
	struct kunit *test;
	struct drm_device *drm;
	struct virtio_gpu_device *vgdev;
	unsigned long ubase;
	size_t uoff;
};

/*
 * device_for_each_child() callback on a PCI function: takes a reference to
 * the DRM device of a virtio GPU child this driver is bound to.
 */
static int qd_match(struct device *dev, void *data)
{
	struct drm_device **out = data;
	struct virtio_device *vdev;
	struct drm_device *drm;

	if (!dev->bus || strcmp(dev->bus->name, "virtio"))
		return 0;
	vdev = dev_to_virtio(dev);
	if (vdev->id.device != VIRTIO_ID_GPU)
		return 0;

	/* The driver cannot unbind while the device lock is held. */
	device_lock(dev);
	if (dev->driver && !strcmp(dev->driver->name, QD_VIRTIO_DRIVER) &&
	    vdev->priv) {
		drm = vdev->priv;
		if (drm->dev == dev->parent && drm->driver->ioctls == virtio_gpu_ioctls) {
			drm_dev_get(drm);
			*out = drm;
		}
	}
	device_unlock(dev);
	return *out ? 1 : 0;
}

/* The DRM device of a virtio-gpu PCI device bound to the driver, or NULL. */
static struct drm_device *qd_find(void)
{
	struct drm_device *drm = NULL;
	struct pci_dev *pdev = NULL;

	while ((pdev = pci_get_device(PCI_VENDOR_ID_REDHAT_QUMRANET, PCI_ANY_ID,
				      pdev))) {
		device_for_each_child(&pdev->dev, &drm, qd_match);
		if (drm) {
			pci_dev_put(pdev);
			break;
		}
	}
	return drm;
}

KUNIT_DEFINE_ACTION_WRAPPER(qd_drm_put, drm_dev_put, struct drm_device *);

/*
 * Suite init: finds the device and maps user memory, or skips the test.
 * The &struct qd goes to test->priv.
 */
static int qd_init(struct kunit *test)
{
	struct qd *q;

	if (IS_ENABLED(CONFIG_UML))
		kunit_skip(test, "UML has no virtio-gpu PCI device: run with ARCH=x86_64");

	q = kunit_kzalloc(test, sizeof(*q), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, q);
	q->test = test;
	q->drm = qd_find();
	if (!q->drm)
		kunit_skip(test, "no virtio-gpu device on a PCI parent is bound to the driver");
	KUNIT_ASSERT_EQ(test, kunit_add_action_or_reset(test, qd_drm_put, q->drm), 0);
	q->vgdev = to_virtio_gpu(q->drm);

	q->ubase = kunit_vm_mmap(test, NULL, 0, QD_USER_BYTES,
				 PROT_READ | PROT_WRITE,
				 MAP_ANONYMOUS | MAP_PRIVATE, 0);
	if (!q->ubase || IS_ERR_VALUE(q->ubase))
		kunit_skip(test, "no user memory for the test thread");
	test->priv = q;
	return 0;
}

/* Zeroed user memory, valid until the end of the test. */
static void __user *qd_ualloc(struct qd *q, size_t len)
{
	size_t off = ALIGN(q->uoff, 8);
	void __user *p;

	KUNIT_ASSERT_LE(q->test, off + len, QD_USER_BYTES);
	q->uoff = off + len;
	p = (void __user *)(q->ubase + off);
	KUNIT_ASSERT_EQ(q->test, clear_user(p, len), 0);
	return p;
}

static u64 qd_uptr(const void __user *p)
{
	return (u64)(uintptr_t)p;
}

KUNIT_DEFINE_ACTION_WRAPPER(qd_fput, __fput_sync, struct file *);

/* Opens the render node (or the primary node); an action closes it. */
static struct file *qd_open(struct qd *q)
{
	struct drm_minor *minor = q->drm->render ?: q->drm->primary;
	struct file *file;

	KUNIT_ASSERT_NOT_NULL(q->test, minor);
	file = mock_drm_getfile(minor, O_RDWR);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(q->test, file);
	KUNIT_ASSERT_EQ(q->test, kunit_add_action_or_reset(q->test, qd_fput, file), 0);
	return file;
}

/* Closes a file of qd_open() now, as its last user would. */
static void qd_close(struct qd *q, struct file *file)
{
	kunit_release_action(q->test, qd_fput, file);
}

/* Runs the driver's handler of @cmd on @file with a kernel copy of the args. */
static int qd_ioctl(struct qd *q, struct file *file, unsigned int cmd, void *data)
{
	const struct drm_driver *drv = q->drm->driver;
	unsigned int nr = DRM_IOCTL_NR(cmd);
	const struct drm_ioctl_desc *desc;

	KUNIT_ASSERT_GE(q->test, nr, DRM_COMMAND_BASE);
	KUNIT_ASSERT_LT(q->test, nr - DRM_COMMAND_BASE, drv->num_ioctls);
	desc = &drv->ioctls[nr - DRM_COMMAND_BASE];
	KUNIT_ASSERT_EQ(q->test, desc->cmd, cmd);
	KUNIT_ASSERT_NOT_NULL(q->test, desc->func);
	return drm_ioctl_kernel(file, desc->func, data, desc->flags);
}

static int qd_getparam(struct qd *q, struct file *file, u64 param, int *value)
{
	int __user *uval = qd_ualloc(q, sizeof(*uval));
	struct drm_virtgpu_getparam gp = {
		.param = param,
		.value = qd_uptr(uval),
	};
	int ret;

	/* A value the ioctl must overwrite. */
	KUNIT_ASSERT_EQ(q->test, put_user(-1, uval), 0);
	ret = qd_ioctl(q, file, DRM_IOCTL_VIRTGPU_GETPARAM, &gp);
	if (!ret)
		KUNIT_ASSERT_EQ(q->test, get_user(*value, uval), 0);
	return ret;
}

/* Arguments of the suite's 2D texture. */
static void qd_rc_2d(struct drm_virtgpu_resource_create *rc)
{
	memset(rc, 0, sizeof(*rc));
	rc->target = 2;		/* a 2D texture */
	rc->format = VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM;
	rc->width = QD_WIDTH;
	rc->height = QD_HEIGHT;
	rc->depth = 1;
	rc->array_size = 1;
	rc->size = QD_BO_SIZE;
	rc->stride = QD_WIDTH * 4;
}

/* Creates the suite's texture; fails the test unless the ioctl succeeds. */
static void qd_create(struct qd *q, struct file *file,
		      struct drm_virtgpu_resource_create *rc)
{
	qd_rc_2d(rc);
	KUNIT_ASSERT_EQ(q->test, qd_ioctl(q, file, DRM_IOCTL_VIRTGPU_RESOURCE_CREATE,
					  rc), 0);
	KUNIT_ASSERT_NE(q->test, rc->bo_handle, 0);
	KUNIT_ASSERT_NE(q->test, rc->res_handle, 0);
}

static int qd_info(struct qd *q, struct file *file, u32 handle,
		   struct drm_virtgpu_resource_info *ri)
{
	memset(ri, 0, sizeof(*ri));
	ri->bo_handle = handle;
	return qd_ioctl(q, file, DRM_IOCTL_VIRTGPU_RESOURCE_INFO, ri);
}

/* DRM_IOCTL_VIRTGPU_WAIT; a blocking wait is bounded by the driver (15 s). */
static int qd_wait(struct qd *q, struct file *file, u32 handle, u32 flags)
{
	struct drm_virtgpu_3d_wait w = { .handle = handle, .flags = flags };

	return qd_ioctl(q, file, DRM_IOCTL_VIRTGPU_WAIT, &w);
}

/* TRANSFER_TO_HOST of the whole texture. */
static int qd_transfer(struct qd *q, struct file *file, u32 handle)
{
	struct drm_virtgpu_3d_transfer_to_host t = {
		.bo_handle = handle,
		.box = { .w = QD_WIDTH, .h = QD_HEIGHT, .d = 1 },
	};

	return qd_ioctl(q, file, DRM_IOCTL_VIRTGPU_TRANSFER_TO_HOST, &t);
}

KUNIT_DEFINE_ACTION_WRAPPER(qd_gem_put, drm_gem_object_put, struct drm_gem_object *);

/* The GEM object of a handle, referenced until the end of the test. */
static struct drm_gem_object *qd_gem(struct qd *q, struct file *file, u32 handle)
{
	struct drm_gem_object *obj = drm_gem_object_lookup(file->private_data, handle);

	KUNIT_ASSERT_NOT_NULL(q->test, obj);
	KUNIT_ASSERT_EQ(q->test, kunit_add_action_or_reset(q->test, qd_gem_put, obj), 0);
	return obj;
}

KUNIT_DEFINE_ACTION_WRAPPER(qd_fence_put, dma_fence_put, struct dma_fence *);

/*
 * The newest fence of the driver in a BO's reservation object, signalled
 * or not: the fence of the last command sent for the BO. Referenced until
 * the end of the test; the test fails when there is none.
 */
static struct dma_fence *qd_bo_fence(struct qd *q, struct file *file, u32 handle)
{
	struct drm_gem_object *obj = qd_gem(q, file, handle);
	struct dma_fence *fence, *newest = NULL;
	struct dma_resv_iter cursor;

	dma_resv_lock(obj->resv, NULL);
	dma_resv_for_each_fence(&cursor, obj->resv, DMA_RESV_USAGE_BOOKKEEP, fence)
		if (virtio_gpu_is_fence(fence) &&
		    (!newest || fence->seqno > newest->seqno))
			newest = fence;
	dma_fence_get(newest);
	dma_resv_unlock(obj->resv);

	KUNIT_ASSERT_NOT_NULL_MSG(q->test, newest, "BO %u holds no virtio-gpu fence", handle);
	KUNIT_ASSERT_EQ(q->test, kunit_add_action_or_reset(q->test, qd_fence_put, newest), 0);
	return newest;
}

/*
 * The driver probed the machine's virtio-gpu-pci device at boot: the DRM
 * device is registered with a render node, the virtqueues are live, and
 * the device, 2D, did not offer VIRGL. The features are logged.
 */
static void virtio_gpu_qemu_device_probed(struct kunit *test)
{
	struct qd *q = test->priv;
	struct virtio_gpu_device *vgdev = q->vgdev;
	struct device *parent = vgdev->vdev->dev.parent;

	KUNIT_ASSERT_TRUE(test, dev_is_pci(parent));
	kunit_info(test, "%s (%s): %cvirgl %cedid %cresource-uuid %cblob %ccontext-init %cindirect; %u scanouts, %u capsets\n",
		   dev_name(parent), dev_name(&vgdev->vdev->dev),
		   vgdev->has_virgl_3d ? '+' : '-', vgdev->has_edid ? '+' : '-',
		   vgdev->has_resource_uuid ? '+' : '-',
		   vgdev->has_resource_blob ? '+' : '-',
		   vgdev->has_context_init ? '+' : '-',
		   vgdev->has_indirect ? '+' : '-',
		   vgdev->num_scanouts, vgdev->num_capsets);

	/* As with the base driver: sysfs shows the PCI function as the device. */
	KUNIT_EXPECT_PTR_EQ(test, q->drm->dev, parent);
	KUNIT_EXPECT_TRUE(test, q->drm->registered);
	KUNIT_EXPECT_NOT_NULL(test, q->drm->render);
	KUNIT_EXPECT_TRUE(test, vgdev->vqs_live);
	KUNIT_EXPECT_FALSE(test, READ_ONCE(vgdev->unplugged));
	KUNIT_EXPECT_FALSE_MSG(test, vgdev->has_virgl_3d,
			       "the suite expects a 2D virtio-gpu-pci device");
}

/* GETPARAM 3D_FEATURES reads 0 on the 2D device. */
static void virtio_gpu_qemu_getparam_3d_features_zero(struct kunit *test)
{
	struct qd *q = test->priv;
	struct file *file = qd_open(q);
	int value;

	KUNIT_ASSERT_EQ(test, qd_getparam(q, file, VIRTGPU_PARAM_3D_FEATURES, &value), 0);
	KUNIT_EXPECT_EQ(test, value, 0);
}

/*
 * RESOURCE_CREATE makes a 2D resource: RESOURCE_INFO reports its size and
 * host resource id, and the creation's fence (sent with ATTACH_BACKING)
 * signals without error once WAIT returns.
 */
static void virtio_gpu_qemu_resource_create_2d(struct kunit *test)
{
	struct qd *q = test->priv;
	struct file *file = qd_open(q);
	struct drm_virtgpu_resource_create rc;
	struct drm_virtgpu_resource_info ri;
	struct dma_fence *fence;

	qd_create(q, file, &rc);
	fence = qd_bo_fence(q, file, rc.bo_handle);

	KUNIT_ASSERT_EQ(test, qd_info(q, file, rc.bo_handle, &ri), 0);
	KUNIT_EXPECT_EQ(test, ri.size, QD_BO_SIZE);
	KUNIT_EXPECT_EQ(test, ri.res_handle, rc.res_handle);
	KUNIT_EXPECT_EQ(test, ri.blob_mem, 0);

	KUNIT_ASSERT_EQ(test, qd_wait(q, file, rc.bo_handle, 0), 0);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(fence));
	KUNIT_EXPECT_EQ(test, dma_fence_get_status(fence), 1);
}

/*
 * A fenced round trip: TRANSFER_TO_HOST puts a new fence, later than the
 * creation's, in the BO; WAIT returns 0 once the host answered, and the
 * fence has signalled without error.
 */
static void virtio_gpu_qemu_transfer_fence_signals(struct kunit *test)
{
	struct qd *q = test->priv;
	struct file *file = qd_open(q);
	struct drm_virtgpu_resource_create rc;
	struct dma_fence *created, *moved;

	qd_create(q, file, &rc);
	created = qd_bo_fence(q, file, rc.bo_handle);
	KUNIT_ASSERT_EQ(test, qd_wait(q, file, rc.bo_handle, 0), 0);

	KUNIT_ASSERT_EQ(test, qd_transfer(q, file, rc.bo_handle), 0);
	moved = qd_bo_fence(q, file, rc.bo_handle);
	KUNIT_ASSERT_PTR_NE(test, moved, created);
	KUNIT_EXPECT_GT(test, moved->seqno, created->seqno);

	KUNIT_ASSERT_EQ(test, qd_wait(q, file, rc.bo_handle, 0), 0);
	KUNIT_EXPECT_TRUE(test, dma_fence_is_signaled(moved));
	KUNIT_EXPECT_EQ(test, dma_fence_get_status(moved), 1);
}

/* Once a transfer completed, WAIT with NOWAIT returns 0 at once. */
static void virtio_gpu_qemu_wait_nowait_after_transfer(struct kunit *test)
{
	struct qd *q = test->priv;
	struct file *file = qd_open(q);
	struct drm_virtgpu_resource_create rc;

	qd_create(q, file, &rc);
	KUNIT_ASSERT_EQ(test, qd_transfer(q, file, rc.bo_handle), 0);
	KUNIT_ASSERT_EQ(test, qd_wait(q, file, rc.bo_handle, 0), 0);
	KUNIT_EXPECT_EQ(test, qd_wait(q, file, rc.bo_handle, VIRTGPU_WAIT_NOWAIT), 0);
}

/* EXECBUFFER needs 3D: the 2D device refuses it (-ENOSYS). */
static void virtio_gpu_qemu_execbuffer_refused_on_2d(struct kunit *test)
{
	struct qd *q = test->priv;
	struct file *file = qd_open(q);
	struct drm_virtgpu_execbuffer eb = {
		.size = 16,
		.command = qd_uptr(qd_ualloc(q, 16)),
		.fence_fd = -1,
	};

	KUNIT_EXPECT_EQ(test, qd_ioctl(q, file, DRM_IOCTL_VIRTGPU_EXECBUFFER, &eb),
			-ENOSYS);
}

/*
 * Closing a file drops its BOs: afterwards only the test's own reference
 * holds the BO, the handle is unknown to a new file (-ENOENT), and the
 * device, having been sent RESOURCE_UNREF, still creates resources.
 */
static void virtio_gpu_qemu_close_frees_bos(struct kunit *test)
{
	struct qd *q = test->priv;
	struct file *file = qd_open(q), *other;
	struct drm_virtgpu_resource_create rc, rc2;
	struct drm_virtgpu_resource_info ri;
	struct drm_gem_object *obj;

	qd_create(q, file, &rc);
	KUNIT_ASSERT_EQ(test, qd_wait(q, file, rc.bo_handle, 0), 0);
	obj = qd_gem(q, file, rc.bo_handle);
	KUNIT_EXPECT_EQ(test, obj->handle_count, 1);

	qd_close(q, file);
	KUNIT_EXPECT_EQ(test, obj->handle_count, 0);
	KUNIT_EXPECT_EQ(test, kref_read(&obj->refcount), 1);
	/* The last reference: the driver frees the resource on the host. */
	kunit_release_action(test, qd_gem_put, obj);

	other = qd_open(q);
	KUNIT_EXPECT_EQ(test, qd_info(q, other, rc.bo_handle, &ri), -ENOENT);

	qd_create(q, other, &rc2);
	KUNIT_EXPECT_EQ(test, qd_wait(q, other, rc2.bo_handle, 0), 0);
}

static struct kunit_case qd_cases[] = {
	KUNIT_CASE(virtio_gpu_qemu_device_probed),
	KUNIT_CASE(virtio_gpu_qemu_getparam_3d_features_zero),
	KUNIT_CASE(virtio_gpu_qemu_resource_create_2d),
	KUNIT_CASE(virtio_gpu_qemu_transfer_fence_signals),
	KUNIT_CASE(virtio_gpu_qemu_wait_nowait_after_transfer),
	KUNIT_CASE(virtio_gpu_qemu_execbuffer_refused_on_2d),
	KUNIT_CASE(virtio_gpu_qemu_close_frees_bos),
	{}
};

static struct kunit_suite qd_suite = {
	.name = "virtio_gpu_qemu_device",
	.init = qd_init,
	.test_cases = qd_cases,
};

kunit_test_suite(qd_suite);
