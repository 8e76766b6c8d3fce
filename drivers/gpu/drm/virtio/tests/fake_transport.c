// SPDX-License-Identifier: GPL-2.0
/*
 * Fake virtio-gpu device for KUnit: the virtio transport.
 *
 * A virtio device on a kunit parent device, with configuration operations
 * over a struct virtio_gpu_config and split virtqueues created by the virtio
 * ring code. The device side reads the available rings in a work item,
 * hands each request to the host model and returns buffers through the used
 * ring, interrupting the driver with vring_interrupt().
 */

#include <kunit/device.h>
#include <kunit/test.h>
#include <linux/highmem.h>
#include <linux/ioport.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/irqflags.h>
#include <linux/slab.h>
#include <linux/virtio_ids.h>

#include "fake_priv.h"

static atomic_t vgpu_fake_dev_ids = ATOMIC_INIT(0);

static void vgpu_fake_get(struct virtio_device *vdev, unsigned int offset,
			  void *buf, unsigned int len)
{
	struct vgpu_fake_host *host = to_vgpu_fake_host(vdev);

	memset(buf, 0, len);
	if (offset > sizeof(host->gpu_config) ||
	    len > sizeof(host->gpu_config) - offset)
		return;
	mutex_lock(&host->lock);
	memcpy(buf, (u8 *)&host->gpu_config + offset, len);
	mutex_unlock(&host->lock);
}

static void vgpu_fake_set(struct virtio_device *vdev, unsigned int offset,
			  const void *buf, unsigned int len)
{
	struct vgpu_fake_host *host = to_vgpu_fake_host(vdev);
	struct virtio_gpu_config *c = &host->gpu_config;
	__le32 val;

	/* Only events_clear is writable: it clears bits of events_read. */
	if (offset != offsetof(struct virtio_gpu_config, events_clear) ||
	    len != sizeof(val))
		return;
	memcpy(&val, buf, sizeof(val));
	mutex_lock(&host->lock);
	c->events_read = cpu_to_le32(le32_to_cpu(c->events_read) &
				     ~le32_to_cpu(val));
	mutex_unlock(&host->lock);
}

static u32 vgpu_fake_generation(struct virtio_device *vdev)
{
	return 0;
}

static u8 vgpu_fake_get_status(struct virtio_device *vdev)
{
	struct vgpu_fake_host *host = to_vgpu_fake_host(vdev);
	u8 status;

	mutex_lock(&host->lock);
	status = host->status;
	mutex_unlock(&host->lock);
	return status;
}

static void vgpu_fake_set_status(struct virtio_device *vdev, u8 status)
{
	struct vgpu_fake_host *host = to_vgpu_fake_host(vdev);
	bool ready;

	mutex_lock(&host->lock);
	ready = !(host->status & VIRTIO_CONFIG_S_DRIVER_OK) &&
		(status & VIRTIO_CONFIG_S_DRIVER_OK);
	host->status = status;
	mutex_unlock(&host->lock);
	/* Buffers made available before DRIVER_OK are served now. */
	if (ready)
		queue_work(host->wq, &host->work);
}

static void vgpu_fake_reset(struct virtio_device *vdev)
{
	struct vgpu_fake_host *host = to_vgpu_fake_host(vdev);
	unsigned int i;

	vgpu_fake_host_event(host, VGPU_FAKE_ON_RESET);
	mutex_lock(&host->lock);
	host->status = 0;
	vgpu_fake_host_drop_pending(host);
	vgpu_fake_host_forget_objects(host);
	for (i = 0; i < VGPU_FAKE_NUM_VQS; i++) {
		host->vqs[i].last_avail = 0;
		host->vqs[i].used_idx = 0;
		host->vqs[i].kick = false;
	}
	mutex_unlock(&host->lock);
}

static u64 vgpu_fake_get_features(struct virtio_device *vdev)
{
	return to_vgpu_fake_host(vdev)->cfg.features;
}

static int vgpu_fake_finalize_features(struct virtio_device *vdev)
{
	struct vgpu_fake_host *host = to_vgpu_fake_host(vdev);

	vring_transport_features(vdev);
	mutex_lock(&host->lock);
	host->driver_features = vdev->features & host->cfg.features;
	mutex_unlock(&host->lock);
	return 0;
}

static bool vgpu_fake_notify(struct virtqueue *vq)
{
	struct vgpu_fake_host *host = to_vgpu_fake_host(vq->vdev);

	queue_work(host->wq, &host->work);
	return true;
}

static void vgpu_fake_del_vqs(struct virtio_device *vdev)
{
	struct vgpu_fake_host *host = to_vgpu_fake_host(vdev);
	struct virtqueue *vq, *n;
	unsigned int i;

	mutex_lock(&host->lock);
	vgpu_fake_host_drop_pending(host);
	for (i = 0; i < VGPU_FAKE_NUM_VQS; i++)
		host->vqs[i].vq = NULL;
	mutex_unlock(&host->lock);
	/* The worker may still be between two locked sections. */
	flush_workqueue(host->wq);

	list_for_each_entry_safe(vq, n, &vdev->vqs, list)
		vring_del_virtqueue(vq);
}

static int vgpu_fake_find_vqs(struct virtio_device *vdev, unsigned int nvqs,
			      struct virtqueue *vqs[],
			      struct virtqueue_info vqs_info[],
			      struct irq_affinity *desc)
{
	struct vgpu_fake_host *host = to_vgpu_fake_host(vdev);
	unsigned int i, num;

	if (nvqs > VGPU_FAKE_NUM_VQS)
		return -ENOENT;
	vgpu_fake_host_event(host, VGPU_FAKE_ON_FIND_VQS);

	for (i = 0; i < nvqs; i++) {
		struct virtqueue *vq;

		vqs[i] = NULL;
		if (!vqs_info[i].name)
			continue;
		num = i == VGPU_FAKE_CTRLQ ? host->cfg.ctrl_queue_size :
					     VGPU_FAKE_CURSOR_QUEUE_SIZE;
		vq = vring_create_virtqueue(i, num, PAGE_SIZE, vdev, true,
					    true, vqs_info[i].ctx,
					    vgpu_fake_notify,
					    vqs_info[i].callback,
					    vqs_info[i].name);
		if (!vq) {
			vgpu_fake_del_vqs(vdev);
			return -ENOMEM;
		}
		vqs[i] = vq;
		mutex_lock(&host->lock);
		host->vqs[i].vq = vq;
		host->vqs[i].last_avail = 0;
		host->vqs[i].used_idx = 0;
		host->vqs[i].kick = false;
		mutex_unlock(&host->lock);
	}
	return 0;
}

static const char *vgpu_fake_bus_name(struct virtio_device *vdev)
{
	return "vgpu-fake";
}

static const struct virtio_config_ops vgpu_fake_config_ops = {
	.get = vgpu_fake_get,
	.set = vgpu_fake_set,
	.generation = vgpu_fake_generation,
	.get_status = vgpu_fake_get_status,
	.set_status = vgpu_fake_set_status,
	.reset = vgpu_fake_reset,
	.find_vqs = vgpu_fake_find_vqs,
	.del_vqs = vgpu_fake_del_vqs,
	.get_features = vgpu_fake_get_features,
	.finalize_features = vgpu_fake_finalize_features,
	.bus_name = vgpu_fake_bus_name,
};

void vgpu_fake_req_free(struct vgpu_fake_req *req)
{
	if (!req)
		return;
	kvfree(req->out);
	kfree(req->in);
	kfree(req->resp);
	kfree(req);
}

struct vgpu_fake_chain {
	struct vgpu_fake_seg *seg;
	unsigned int nseg;
	unsigned int cap;
};

/*
 * Without VIRTIO_F_ACCESS_PLATFORM a descriptor holds a guest-physical
 * address and the device reaches memory through it only, as QEMU does with
 * address_space_map() on the guest's RAM. So does the fake: every byte goes
 * through the struct page of its frame. An address that is no RAM frame is
 * what a real host would read as garbage (a vmalloc or stack address passed
 * through virt_to_phys(), say): the device refuses the chain and fails the
 * running test.
 */
static bool vgpu_fake_dma_ok(u64 addr, u32 len)
{
	u64 pfn, last;

	if (!len)
		return true;
	if (addr + len - 1 < addr)
		return false;
	last = PHYS_PFN(addr + len - 1);
	for (pfn = PHYS_PFN(addr); pfn <= last; pfn++) {
		if (!pfn_valid(pfn))
			return false;
		/* UML has no "System RAM" resource; all its pfns are RAM. */
		if (!IS_ENABLED(CONFIG_UML) && !page_is_ram(pfn))
			return false;
	}
	return true;
}

static void vgpu_fake_dma(u64 addr, void *data, size_t len, bool to_guest)
{
	u8 *buf = data;

	while (len) {
		size_t off = offset_in_page(addr);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		u8 *va = kmap_local_page(pfn_to_page(PHYS_PFN(addr)));

		if (to_guest)
			memcpy(va + off, buf, n);
		else
			memcpy(buf, va + off, n);
		kunmap_local(va);
		addr += n;
		buf += n;
		len -= n;
	}
}

/* Counts a chain naming memory a device cannot reach; see above. */
static void vgpu_fake_dma_fault(struct vgpu_fake_host *host, u64 addr, u32 len)
{
	host->dma_faults++;
	dev_err_ratelimited(host->parent,
			    "descriptor names %u bytes at 0x%llx, which is not guest RAM\n",
			    len, addr);
}

/* Hashes @len bytes of guest memory at @addr, one frame at a time. */
static u64 vgpu_fake_dma_hash(u64 h, u64 addr, size_t len)
{
	while (len) {
		size_t off = offset_in_page(addr);
		size_t n = min_t(size_t, len, PAGE_SIZE - off);
		u8 *va = kmap_local_page(pfn_to_page(PHYS_PFN(addr)));

		h = vgpu_fake_hash_more(h, va + off, n);
		kunmap_local(va);
		addr += n;
		len -= n;
	}
	return h;
}

static int vgpu_fake_chain_add(struct vgpu_fake_host *host,
			       struct vgpu_fake_chain *c, u64 addr, u32 len)
{
	if (!vgpu_fake_dma_ok(addr, len)) {
		vgpu_fake_dma_fault(host, addr, len);
		return -EFAULT;
	}
	if (c->nseg == c->cap) {
		unsigned int cap = c->cap ? c->cap * 2 : 8;
		struct vgpu_fake_seg *seg;

		seg = krealloc_array(c->seg, cap, sizeof(*seg), GFP_KERNEL);
		if (!seg)
			return -ENOMEM;
		c->seg = seg;
		c->cap = cap;
	}
	c->seg[c->nseg].addr = addr;
	c->seg[c->nseg].len = len;
	c->nseg++;
	return 0;
}

/*
 * Walk the descriptor chain starting at @head, collecting the
 * driver-readable and device-writable pieces. Returns NULL for a malformed
 * chain or when memory runs out.
 */
static struct vgpu_fake_req *vgpu_fake_take(struct vgpu_fake_host *host,
					    unsigned int qidx, u16 head)
{
	struct virtio_device *vdev = &host->vdev;
	const struct vring *vr = virtqueue_get_vring(host->vqs[qidx].vq);
	struct vgpu_fake_chain out = {}, in = {};
	const struct vring_desc *table = vr->desc;
	struct vring_desc *indirect_table = NULL;
	unsigned int limit = vr->num, steps = 0, i = head;
	bool indirect = false;
	struct vgpu_fake_req *req;
	size_t total = 0, pos = 0;

	for (;;) {
		const struct vring_desc *d;
		u16 flags;
		u64 addr;
		u32 len;

		if (i >= limit || ++steps > vr->num + limit)
			goto bad;
		d = &table[i];
		flags = virtio16_to_cpu(vdev, d->flags);
		addr = virtio64_to_cpu(vdev, d->addr);
		len = virtio32_to_cpu(vdev, d->len);

		if (flags & VRING_DESC_F_INDIRECT) {
			if (indirect || (flags & VRING_DESC_F_NEXT) ||
			    !(host->driver_features & VGPU_FAKE_F_INDIRECT_DESC) ||
			    !len || len % sizeof(struct vring_desc))
				goto bad;
			if (!vgpu_fake_dma_ok(addr, len)) {
				vgpu_fake_dma_fault(host, addr, len);
				goto bad;
			}
			indirect_table = kmalloc(len, GFP_KERNEL);
			if (!indirect_table)
				goto bad;
			vgpu_fake_dma(addr, indirect_table, len, false);
			indirect = true;
			table = indirect_table;
			limit = len / sizeof(struct vring_desc);
			i = 0;
			continue;
		}
		if (flags & VRING_DESC_F_WRITE) {
			if (vgpu_fake_chain_add(host, &in, addr, len))
				goto bad;
		} else {
			/* Device-readable pieces come first. */
			if (in.nseg || vgpu_fake_chain_add(host, &out, addr, len))
				goto bad;
			total += len;
		}
		if (!(flags & VRING_DESC_F_NEXT))
			break;
		i = virtio16_to_cpu(vdev, d->next);
	}

	/*
	 * No chain may be longer than the queue, indirect or not (virtio
	 * spec, "The Virtqueue Descriptor Table"); QEMU's virtqueue_pop()
	 * marks the device broken on one.
	 */
	if (out.nseg + in.nseg > vr->num) {
		host->dma_faults++;
		dev_err_ratelimited(host->parent, "chain of %u descriptors on a queue of %u\n",
				    out.nseg + in.nseg, vr->num);
		goto bad;
	}

	req = kzalloc(sizeof(*req), GFP_KERNEL);
	if (!req)
		goto bad;
	req->qidx = qidx;
	req->head = head;
	req->gen = host->gen;
	req->in = in.seg;
	req->nin = in.nseg;
	req->nout = out.nseg;
	for (i = 0; i < in.nseg; i++)
		req->in_len += in.seg[i].len;
	req->out_total = total;
	req->out_hash = VGPU_FAKE_HASH_INIT;
	for (i = 0; i < out.nseg; i++)
		req->out_hash = vgpu_fake_dma_hash(req->out_hash, out.seg[i].addr,
						   out.seg[i].len);
	total = min_t(size_t, total, VGPU_FAKE_MAX_OUT);
	req->out = kvzalloc(total ?: 1, GFP_KERNEL);
	if (!req->out) {
		kfree(req);
		goto bad;
	}
	for (i = 0; i < out.nseg && pos < total; i++) {
		size_t n = min_t(size_t, out.seg[i].len, total - pos);

		vgpu_fake_dma(out.seg[i].addr, req->out + pos, n, false);
		pos += n;
	}
	req->out_len = total;
	kfree(out.seg);
	kfree(indirect_table);
	return req;

bad:
	kfree(out.seg);
	kfree(in.seg);
	kfree(indirect_table);
	return NULL;
}

/**
 * vgpu_fake_transport_return() - put a request in the used ring
 * @host: the fake device, its lock held
 * @req: request with its response; freed here
 *
 * Writes the response into the device-writable pieces and adds a used ring
 * entry whose length is &vgpu_fake_req.resp_len (cut to what fits), or
 * &vgpu_fake_req.used_len when a fault set it. A request from before the
 * last reset, or on a deleted queue, is dropped.
 */
void vgpu_fake_transport_return(struct vgpu_fake_host *host,
				struct vgpu_fake_req *req)
{
	struct virtio_device *vdev = &host->vdev;
	struct vgpu_fake_vq *fq = &host->vqs[req->qidx];
	size_t len = 0, n;
	struct vring *vr;
	unsigned int i;
	u16 slot;

	lockdep_assert_held(&host->lock);
	if (req->gen != host->gen || !fq->vq) {
		vgpu_fake_req_free(req);
		return;
	}
	vr = vgpu_fake_vring(fq->vq);
	for (i = 0; i < req->nin && len < req->resp_len; i++) {
		n = min_t(size_t, req->in[i].len, req->resp_len - len);
		vgpu_fake_dma(req->in[i].addr, req->resp + len, n, true);
		len += n;
	}

	slot = fq->used_idx % vr->num;
	vr->used->ring[slot].id = cpu_to_virtio32(vdev, req->head);
	vr->used->ring[slot].len = cpu_to_virtio32(vdev, req->used_len_fault ?
							 req->used_len : len);
	/* The entry and the buffer contents before the index. */
	virt_wmb();
	fq->used_idx++;
	WRITE_ONCE(vr->used->idx, cpu_to_virtio16(vdev, fq->used_idx));
	fq->kick = true;
	vgpu_fake_req_free(req);
}

/**
 * vgpu_fake_transport_interrupt() - interrupt the driver for returned buffers
 * @host: the fake device, its lock held
 *
 * Calls vring_interrupt() with interrupts off, as a device interrupt would,
 * for each queue that got used entries since the last call, unless the
 * driver suppressed interrupts with VRING_AVAIL_F_NO_INTERRUPT.
 */
void vgpu_fake_transport_interrupt(struct vgpu_fake_host *host)
{
	struct virtio_device *vdev = &host->vdev;
	unsigned long flags;
	unsigned int i;

	lockdep_assert_held(&host->lock);
	for (i = 0; i < VGPU_FAKE_NUM_VQS; i++) {
		struct vgpu_fake_vq *fq = &host->vqs[i];
		struct vring *vr;

		if (!fq->kick || !fq->vq)
			continue;
		fq->kick = false;
		vr = vgpu_fake_vring(fq->vq);
		/* The used index before the driver's interrupt flag. */
		virt_mb();
		if (virtio16_to_cpu(vdev, READ_ONCE(vr->avail->flags)) &
		    VRING_AVAIL_F_NO_INTERRUPT)
			continue;
		local_irq_save(flags);
		vring_interrupt(0, fq->vq);
		local_irq_restore(flags);
	}
}

static void vgpu_fake_serve(struct vgpu_fake_host *host, unsigned int qidx)
{
	struct virtio_device *vdev = &host->vdev;
	struct vgpu_fake_vq *fq = &host->vqs[qidx];
	const struct vring *vr;
	u16 avail;

	if (!fq->vq)
		return;
	vr = vgpu_fake_vring(fq->vq);
	avail = virtio16_to_cpu(vdev, READ_ONCE(vr->avail->idx));
	/* Ring entries after the index that published them. */
	virt_rmb();
	while (fq->last_avail != avail) {
		struct vgpu_fake_req *req;
		u16 head;

		head = virtio16_to_cpu(vdev,
				       vr->avail->ring[fq->last_avail % vr->num]);
		fq->last_avail++;
		req = vgpu_fake_take(host, qidx, head);
		if (!req)
			continue;	/* malformed: the buffer is never used */
		vgpu_fake_host_execute(host, req);
	}
}

static void vgpu_fake_work(struct work_struct *work)
{
	struct vgpu_fake_host *host =
		container_of(work, struct vgpu_fake_host, work);
	unsigned long target;

	mutex_lock(&host->lock);
	target = host->sync_req;
	if (host->status & VIRTIO_CONFIG_S_DRIVER_OK) {
		if (!host->queue_held)
			vgpu_fake_serve(host, VGPU_FAKE_CTRLQ);
		vgpu_fake_serve(host, VGPU_FAKE_CURSORQ);
		vgpu_fake_transport_interrupt(host);
	}
	host->sync_done = target;
	mutex_unlock(&host->lock);
	wake_up_all(&host->wait);
}

static void vgpu_fake_release(struct device *dev)
{
	struct vgpu_fake_host *host = to_vgpu_fake_host(dev_to_virtio(dev));

	vgpu_fake_host_free_model(host);
	kfree(host);
}

/*
 * A bus removes a device's children before the device: a PCI removal
 * unbinds virtio-pci, which unregisters the virtio device, before the PCI
 * function's own devres goes. KUnit unregisters the parent from an action
 * of its own, taken after the owner's: unbind the driver first, so that
 * what the driver keeps on the parent is released by the driver.
 */
static void vgpu_fake_unbind_before_parent(void *data)
{
	struct vgpu_fake_host *host = data;

	if (host->registered)
		device_release_driver(&host->vdev.dev);
}

/**
 * vgpu_fake_transport_init() - set up the transport of a new fake device
 * @host: the fake device, allocated and configured
 *
 * Registers the kunit parent device (unregistered by KUnit at the end of
 * the test, after the driver is unbound from the virtio device), gives it
 * a DMA mask and DMA parameters, creates the device-side workqueue and
 * fills in the virtio device. Nothing is on the virtio bus yet.
 *
 * Return: 0 or a negative error code.
 */
int vgpu_fake_transport_init(struct vgpu_fake_host *host)
{
	struct device *parent;
	char name[32];
	int ret;

	snprintf(name, sizeof(name), "vgpu-fake-%d",
		 atomic_inc_return(&vgpu_fake_dev_ids));
	parent = kunit_device_register(host->test, name);
	if (IS_ERR(parent))
		return PTR_ERR(parent);
	ret = kunit_add_action_or_reset(host->test, vgpu_fake_unbind_before_parent, host);
	if (ret)
		return ret;
	/* A kunit device has neither DMA parameters nor a mask. */
	parent->dma_parms = &host->dma_parms;
	ret = dma_coerce_mask_and_coherent(parent, DMA_BIT_MASK(64));
	if (ret)
		return ret;
	host->parent = parent;

	host->wq = alloc_ordered_workqueue("vgpu-fake", 0);
	if (!host->wq)
		return -ENOMEM;
	INIT_WORK(&host->work, vgpu_fake_work);

	host->vdev.dev.parent = parent;
	host->vdev.dev.release = vgpu_fake_release;
	host->vdev.dev.dma_parms = &host->dma_parms;
	host->vdev.id.device = VIRTIO_ID_GPU;
	host->vdev.id.vendor = 0x1af4;
	host->vdev.config = &vgpu_fake_config_ops;
	return 0;
}

/**
 * vgpu_fake_transport_register() - put the fake device on the virtio bus
 * @host: the fake device
 *
 * A built-in virtio-gpu driver probes the device before this returns.
 * After a failure the device still holds its reference; the owner's
 * cleanup drops it.
 *
 * Return: 0 or the error of register_virtio_device().
 */
int vgpu_fake_transport_register(struct vgpu_fake_host *host)
{
	int ret;

	ret = register_virtio_device(&host->vdev);
	host->registered = !ret;
	return ret;
}

/**
 * vgpu_fake_transport_stop() - take the fake device off the virtio bus
 * @host: the fake device
 *
 * Unbinds the driver (which deletes the queues), then stops the device
 * side. Does not free @host.
 */
void vgpu_fake_transport_stop(struct vgpu_fake_host *host)
{
	if (host->registered) {
		unregister_virtio_device(&host->vdev);
		host->registered = false;
	}
	if (host->wq) {
		destroy_workqueue(host->wq);
		host->wq = NULL;
	}
}
