/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fake virtio-gpu device for KUnit: state shared by the transport
 * (fake_transport.c), the host model (fake_host.c) and the API that
 * scripts and inspects it (fake_script.c). Tests use fake_host.h only.
 */
#ifndef VGPU_FAKE_PRIV_H
#define VGPU_FAKE_PRIV_H

#include <linux/device.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/prandom.h>
#include <linux/virtio.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "fake_host.h"

#define VGPU_FAKE_CTRLQ		0
#define VGPU_FAKE_CURSORQ	1
#define VGPU_FAKE_NUM_VQS	2

/* Per command type counters: three groups of 16 types, plus "other". */
#define VGPU_FAKE_CMD_SLOTS	49
/* Bytes of a command kept by the "last command" observation. */
#define VGPU_FAKE_LAST_CMD_MAX	512
/* Largest driver-readable part of a request the device copies. */
#define VGPU_FAKE_MAX_OUT	(256 * 1024)

/**
 * struct vgpu_fake_seg - one piece of a request, as the descriptor names it
 * @addr: guest-physical address of the piece
 * @len: its length
 */
struct vgpu_fake_seg {
	u64 addr;
	u32 len;
};

/**
 * struct vgpu_fake_req - one buffer chain taken from an available ring
 * @link: in the parked list of a timeline while its response is held
 * @qidx: queue it came from
 * @head: head descriptor index, returned in the used ring
 * @gen: queue generation it was taken in; a reset makes it stale
 * @out: copy of the driver-readable part
 * @out_len: length of @out
 * @in: the device-writable pieces
 * @nin: number of entries in @in
 * @nout: number of driver-readable pieces
 * @out_total: bytes of all driver-readable pieces (@out keeps at most
 *	VGPU_FAKE_MAX_OUT of them)
 * @out_hash: vgpu_fake_hash() of all those bytes
 * @in_len: total length of @in
 * @resp: response bytes once the command was executed
 * @resp_len: length of @resp
 * @used_len: with @used_len_fault, the length the used ring entry claims
 *	instead of the bytes written (VGPU_FAKE_LONG_USED_LEN,
 *	VGPU_FAKE_SET_USED_LEN)
 * @used_len_fault: a fault set @used_len
 * @fence_id: fence id of a fenced command
 */
struct vgpu_fake_req {
	struct list_head link;
	unsigned int qidx;
	u16 head;
	u32 gen;
	void *out;
	size_t out_len;
	struct vgpu_fake_seg *in;
	unsigned int nin;
	unsigned int nout;
	size_t out_total;
	u64 out_hash;
	size_t in_len;
	void *resp;
	size_t resp_len;
	u32 used_len;
	bool used_len_fault;
	u64 fence_id;
};

/**
 * struct vgpu_fake_vq - device side of one virtqueue
 * @vq: the driver's virtqueue, NULL when not set up
 * @last_avail: next available ring entry the device reads
 * @used_idx: next used ring entry the device writes
 * @kick: a used entry was written and the driver was not interrupted yet
 */
struct vgpu_fake_vq {
	struct virtqueue *vq;
	u16 last_avail;
	u16 used_idx;
	bool kick;
};

/**
 * struct vgpu_fake_timeline - host state of one fence timeline
 * @link: in &vgpu_fake_host.timelines
 * @id: which timeline
 * @held: fenced responses are parked until completed by the test
 * @parked: parked requests, in submission order
 * @num_parked: entries in @parked
 * @last_seen: last fence id received on the timeline
 */
struct vgpu_fake_timeline {
	struct list_head link;
	struct vgpu_fake_tl id;
	bool held;
	struct list_head parked;
	unsigned int num_parked;
	u64 last_seen;
};

/**
 * struct vgpu_fake_ctx - a host context of the model
 * @link: in &vgpu_fake_host.contexts
 * @info: its state, as vgpu_fake_host_get_ctx() reports it
 */
struct vgpu_fake_ctx {
	struct list_head link;
	struct vgpu_fake_ctx_info info;
};

/**
 * struct vgpu_fake_res - a host resource of the model
 * @link: in &vgpu_fake_host.resources
 * @info: its state, as vgpu_fake_host_get_res() reports it
 */
struct vgpu_fake_res {
	struct list_head link;
	struct vgpu_fake_res_info info;
};

/**
 * struct vgpu_fake_hook - a test's hook on an event of the device
 * @fn: called when the event happens, or NULL
 * @data: argument of @fn
 */
struct vgpu_fake_hook {
	void (*fn)(void *data);
	void *data;
};

/**
 * struct vgpu_fake_host - the fake device
 * @vdev: the virtio device registered on the virtio bus
 * @test: test that owns the device
 * @parent: kunit device the virtio device hangs off
 * @dma_parms: DMA parameters of @parent and @vdev (kunit devices have none)
 * @cfg: configuration the device was created with
 * @wq: ordered workqueue running the device side
 * @work: device-side processing of the available rings
 * @registered: register_virtio_device() succeeded
 * @dev_initialized: register_virtio_device() was called, so the embedded
 *	device is reference counted and freed by its release function
 * @capset_data: host-owned copies of the capset data
 * @lock: protects everything below, the rings' device side and the model
 * @status: device status written by the driver
 * @driver_features: features the driver accepted
 * @gpu_config: the virtio_gpu_config space
 * @vqs: device side of the two queues
 * @gen: bumped by every reset; requests of an older generation are stale
 * @queue_held: the control queue is not served at all
 * @sync_req: sync requests issued
 * @sync_done: sync requests the worker has passed
 * @wait: woken when the worker finishes a pass
 * @timelines: the fence timelines seen or scripted so far
 * @contexts: host contexts
 * @resources: host resources
 * @counts: commands received per type slot
 * @last_cmd: copy of the last command per type slot
 * @last_cmd_len: length of each @last_cmd
 * @last_hash: hash of all the device read of the last command per slot
 * @last_out_len: bytes the device read of the last command per slot
 * @last_pieces: driver-readable descriptors of the last command per slot
 * @resp_counts: responses returned, per response type (0x11xx, 0x12xx)
 * @fail_type: command type the forced error applies to, 0 for any
 * @fail_err: forced error response type, 0 when none is armed
 * @bad_next: misbehaviour armed for the next response, -1 when none
 * @bad_arg: argument of @bad_next
 * @hostile: the hostile mode, off while its knobs are 0
 * @hostile_rnd: the state of its PRNG
 * @corrupted: responses the hostile mode corrupted since it was set
 * @max_fence: highest fence id seen on any timeline
 * @dma_faults: descriptors naming memory that is not guest RAM
 * @hooks: test hooks, by &enum vgpu_fake_event (vgpu_fake_host_on())
 */
struct vgpu_fake_host {
	struct virtio_device vdev;
	struct kunit *test;
	struct device *parent;
	struct device_dma_parameters dma_parms;
	struct vgpu_fake_host_config cfg;
	struct workqueue_struct *wq;
	struct work_struct work;
	bool registered;
	bool dev_initialized;
	void *capset_data[VGPU_FAKE_MAX_CAPSETS];

	/* the device side and the model: see @lock above */
	struct mutex lock;
	u8 status;
	u64 driver_features;
	struct virtio_gpu_config gpu_config;
	struct vgpu_fake_vq vqs[VGPU_FAKE_NUM_VQS];
	u32 gen;
	bool queue_held;
	unsigned long sync_req;
	unsigned long sync_done;
	wait_queue_head_t wait;

	struct list_head timelines;
	struct list_head contexts;
	struct list_head resources;
	unsigned int counts[VGPU_FAKE_CMD_SLOTS];
	void *last_cmd[VGPU_FAKE_CMD_SLOTS];
	size_t last_cmd_len[VGPU_FAKE_CMD_SLOTS];
	u64 last_hash[VGPU_FAKE_CMD_SLOTS];
	size_t last_out_len[VGPU_FAKE_CMD_SLOTS];
	unsigned int last_pieces[VGPU_FAKE_CMD_SLOTS];
	unsigned int resp_counts[2][16];
	u32 fail_type;
	u32 fail_err;
	int bad_next;
	u64 bad_arg;
	struct vgpu_fake_hostile hostile;
	struct rnd_state hostile_rnd;
	unsigned int corrupted;
	u64 max_fence;
	unsigned int dma_faults;
	struct vgpu_fake_hook hooks[VGPU_FAKE_NUM_EVENTS];
};

static inline struct vgpu_fake_host *to_vgpu_fake_host(struct virtio_device *vdev)
{
	return container_of(vdev, struct vgpu_fake_host, vdev);
}

/* fake_script.c */
void vgpu_fake_host_event(struct vgpu_fake_host *host, enum vgpu_fake_event event);

/* fake_transport.c */
int vgpu_fake_transport_init(struct vgpu_fake_host *host);
int vgpu_fake_transport_register(struct vgpu_fake_host *host);
void vgpu_fake_transport_stop(struct vgpu_fake_host *host);
void vgpu_fake_transport_return(struct vgpu_fake_host *host,
				struct vgpu_fake_req *req);
void vgpu_fake_transport_interrupt(struct vgpu_fake_host *host);
void vgpu_fake_req_free(struct vgpu_fake_req *req);

/* fake_host.c */
void vgpu_fake_host_execute(struct vgpu_fake_host *host,
			    struct vgpu_fake_req *req);
void vgpu_fake_host_drop_pending(struct vgpu_fake_host *host);
void vgpu_fake_host_forget_objects(struct vgpu_fake_host *host);
/* Index into &vgpu_fake_host.counts and last_* for a command type. */
unsigned int vgpu_fake_slot(u32 type);
/* Timeline @id, made if missing and @create; NULL if none. Lock held. */
struct vgpu_fake_timeline *
vgpu_fake_tl_get(struct vgpu_fake_host *host, struct vgpu_fake_tl id,
		 bool create);
/* Host context @ctx_id, NULL if none; the host's lock held. */
struct vgpu_fake_ctx *vgpu_fake_ctx_find(struct vgpu_fake_host *host,
					 u32 ctx_id);
/* Host resource @res_id, NULL if none; the host's lock held. */
struct vgpu_fake_res *vgpu_fake_res_find(struct vgpu_fake_host *host,
					 u32 res_id);
/* Return an executed request to the driver, faults and counts applied. */
void vgpu_fake_deliver(struct vgpu_fake_host *host,
		       struct vgpu_fake_req *req);

/*
 * The ring of a virtqueue as the device sees it: the core hands it out
 * read-only, but the device side owns the used ring and writes it.
 */
static inline struct vring *vgpu_fake_vring(struct virtqueue *vq)
{
	return (struct vring *)virtqueue_get_vring(vq);
}

void vgpu_fake_host_free_model(struct vgpu_fake_host *host);

#endif /* VGPU_FAKE_PRIV_H */
