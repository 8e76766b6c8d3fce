// SPDX-License-Identifier: GPL-2.0
/*
 * Fake virtio-gpu device for KUnit: the host model.
 *
 * Executes the control protocol against a small model of contexts and
 * resources and completes fenced commands per timeline the way crosvm and
 * QEMU's virgl device do, or as the virtio spec requires; creates and
 * destroys the device. The API tests use to script the host and look at
 * what it saw is in fake_script.c.
 */

#include <kunit/resource.h>
#include <kunit/test.h>
#include <linux/bitops.h>
#include <linux/log2.h>
#include <linux/prandom.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/unaligned.h>

#include "fake_priv.h"

/* Fence ids "from the future" lie this far beyond the newest one. */
#define VGPU_FAKE_FUTURE_GAP	1000

/* Response being built for one command. */
struct vgpu_fake_answer {
	u32 type;
	void *buf;		/* whole response, header first; NULL: header only */
	size_t len;
};

unsigned int vgpu_fake_slot(u32 type)
{
	u32 group = type >> 8, idx = type & 0xff;

	if (group < 1 || group > 3 || idx >= 16)
		return VGPU_FAKE_CMD_SLOTS - 1;
	return (group - 1) * 16 + idx;
}

static bool vgpu_fake_has(struct vgpu_fake_host *host, u64 feature)
{
	return host->driver_features & feature;
}

static bool vgpu_fake_has_3d(struct vgpu_fake_host *host)
{
	return vgpu_fake_has(host, VGPU_FAKE_F_VIRGL) ||
	       vgpu_fake_has(host, VGPU_FAKE_F_CONTEXT_INIT);
}

static bool vgpu_fake_tl_eq(struct vgpu_fake_tl a, struct vgpu_fake_tl b)
{
	if (a.global || b.global)
		return a.global == b.global;
	return a.ctx_id == b.ctx_id && a.ring_idx == b.ring_idx;
}

struct vgpu_fake_timeline *
vgpu_fake_tl_get(struct vgpu_fake_host *host, struct vgpu_fake_tl id,
		 bool create)
{
	struct vgpu_fake_timeline *tl;

	list_for_each_entry(tl, &host->timelines, link)
		if (vgpu_fake_tl_eq(tl->id, id))
			return tl;
	if (!create)
		return NULL;
	tl = kzalloc(sizeof(*tl), GFP_KERNEL);
	if (!tl)
		return NULL;
	tl->id = id;
	INIT_LIST_HEAD(&tl->parked);
	list_add_tail(&tl->link, &host->timelines);
	return tl;
}

struct vgpu_fake_ctx *vgpu_fake_ctx_find(struct vgpu_fake_host *host,
					 u32 ctx_id)
{
	struct vgpu_fake_ctx *ctx;

	list_for_each_entry(ctx, &host->contexts, link)
		if (ctx->info.ctx_id == ctx_id)
			return ctx;
	return NULL;
}

struct vgpu_fake_res *vgpu_fake_res_find(struct vgpu_fake_host *host,
					 u32 res_id)
{
	struct vgpu_fake_res *res;

	list_for_each_entry(res, &host->resources, link)
		if (res->info.res_id == res_id)
			return res;
	return NULL;
}

static const struct vgpu_fake_capset *
vgpu_fake_capset_find(struct vgpu_fake_host *host, u32 id)
{
	unsigned int i;

	for (i = 0; i < host->cfg.num_capsets; i++)
		if (host->cfg.capsets[i].id == id)
			return &host->cfg.capsets[i];
	return NULL;
}

/* Allocate a response of @len bytes (header included) with type @type. */
static u32 vgpu_fake_answer_alloc(struct vgpu_fake_answer *ans, size_t len,
				  u32 type)
{
	ans->buf = kzalloc(len, GFP_KERNEL);
	if (!ans->buf)
		return VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY;
	ans->len = len;
	return type;
}

/* The command at the start of @req if it has @len bytes, else NULL. */
static const void *vgpu_fake_cmd(const struct vgpu_fake_req *req, size_t len)
{
	return req->out_len < len ? NULL : req->out;
}

/*
 * EDID 1.4 base block of a 1024x768 display named "vgpu-fake": header,
 * vendor "FKE", one detailed timing (65 MHz, 1024x768@60), a name and two
 * dummy descriptors. The checksum byte is filled in at run time.
 */
static const u8 vgpu_fake_edid_block[128] = {
	0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00,
	0x19, 0x65, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x01, 0x22, 0x01, 0x04, 0x80, 0x20, 0x18, 0x78,
	0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	0x01, 0x01, 0x01, 0x01, 0x01, 0x01,
	/* detailed timing */
	0x64, 0x19, 0x00, 0x40, 0x41, 0x00, 0x26, 0x30,
	0x18, 0x88, 0x36, 0x00, 0x40, 0xf0, 0x10, 0x00,
	0x00, 0x18,
	/* display product name */
	0x00, 0x00, 0x00, 0xfc, 0x00, 'v', 'g', 'p',
	'u', '-', 'f', 'a', 'k', 'e', 0x0a, 0x20,
	0x20, 0x20,
	/* dummy descriptors */
	0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00,
	0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x00, 0x00,
	/* no extensions, checksum */
	0x00, 0x00,
};

static u32 vgpu_fake_display_info(struct vgpu_fake_host *host,
				  struct vgpu_fake_req *req,
				  struct vgpu_fake_answer *ans)
{
	struct virtio_gpu_resp_display_info *r;
	unsigned int i;
	u32 ret;

	ret = vgpu_fake_answer_alloc(ans, sizeof(*r),
				     VIRTIO_GPU_RESP_OK_DISPLAY_INFO);
	if (!ans->buf)
		return ret;
	r = ans->buf;
	for (i = 0; i < min(host->cfg.num_scanouts, VIRTIO_GPU_MAX_SCANOUTS); i++) {
		r->pmodes[i].r.width = cpu_to_le32(1024);
		r->pmodes[i].r.height = cpu_to_le32(768);
		r->pmodes[i].enabled = cpu_to_le32(1);
	}
	return ret;
}

static u32 vgpu_fake_get_edid(struct vgpu_fake_host *host,
			      struct vgpu_fake_req *req,
			      struct vgpu_fake_answer *ans)
{
	const struct virtio_gpu_cmd_get_edid *c =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_cmd_get_edid));
	struct virtio_gpu_resp_edid *r;
	unsigned int i;
	u8 sum = 0;
	u32 ret;

	if (!c || !vgpu_fake_has(host, VGPU_FAKE_F_EDID))
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	if (le32_to_cpu(c->scanout) >= host->cfg.num_scanouts)
		return VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID;
	ret = vgpu_fake_answer_alloc(ans, sizeof(*r), VIRTIO_GPU_RESP_OK_EDID);
	if (!ans->buf)
		return ret;
	r = ans->buf;
	r->size = cpu_to_le32(sizeof(vgpu_fake_edid_block));
	memcpy(r->edid, vgpu_fake_edid_block, sizeof(vgpu_fake_edid_block));
	for (i = 0; i < sizeof(vgpu_fake_edid_block) - 1; i++)
		sum += r->edid[i];
	r->edid[sizeof(vgpu_fake_edid_block) - 1] = 0x100 - sum;
	return ret;
}

static u32 vgpu_fake_capset_info(struct vgpu_fake_host *host,
				 struct vgpu_fake_req *req,
				 struct vgpu_fake_answer *ans)
{
	const struct virtio_gpu_get_capset_info *c =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_get_capset_info));
	const struct vgpu_fake_capset *cs;
	struct virtio_gpu_resp_capset_info *r;
	u32 idx, ret;

	if (!c)
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	idx = le32_to_cpu(c->capset_index);
	if (idx >= host->cfg.num_capsets)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	cs = &host->cfg.capsets[idx];
	ret = vgpu_fake_answer_alloc(ans, sizeof(*r),
				     VIRTIO_GPU_RESP_OK_CAPSET_INFO);
	if (!ans->buf)
		return ret;
	r = ans->buf;
	r->capset_id = cpu_to_le32(cs->id);
	r->capset_max_version = cpu_to_le32(cs->max_version);
	r->capset_max_size = cpu_to_le32(cs->info_max_size ?: cs->max_size);
	return ret;
}

static u32 vgpu_fake_get_capset(struct vgpu_fake_host *host,
				struct vgpu_fake_req *req,
				struct vgpu_fake_answer *ans)
{
	const struct virtio_gpu_get_capset *c =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_get_capset));
	const struct vgpu_fake_capset *cs;
	struct virtio_gpu_resp_capset *r;
	u32 ret;

	if (!c)
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	cs = vgpu_fake_capset_find(host, le32_to_cpu(c->capset_id));
	if (!cs || le32_to_cpu(c->capset_version) > cs->max_version)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	ret = vgpu_fake_answer_alloc(ans, sizeof(*r) + cs->max_size,
				     VIRTIO_GPU_RESP_OK_CAPSET);
	if (!ans->buf)
		return ret;
	r = ans->buf;
	if (cs->data)
		memcpy(r->capset_data, cs->data, min_t(size_t, cs->data_len,
						       cs->max_size));
	return ret;
}

static u32 vgpu_fake_ctx_create(struct vgpu_fake_host *host,
				const struct virtio_gpu_ctrl_hdr *hdr,
				struct vgpu_fake_req *req)
{
	const struct virtio_gpu_ctx_create *c =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_ctx_create));
	u32 ctx_id = le32_to_cpu(hdr->ctx_id), init, capset_id;
	struct vgpu_fake_ctx *ctx;
	size_t nlen;

	if (!c || !vgpu_fake_has_3d(host))
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	if (!ctx_id || vgpu_fake_ctx_find(host, ctx_id))
		return VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID;
	init = le32_to_cpu(c->context_init);
	capset_id = init & VIRTIO_GPU_CONTEXT_INIT_CAPSET_ID_MASK;
	if (init && !vgpu_fake_has(host, VGPU_FAKE_F_CONTEXT_INIT))
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	if (capset_id && !vgpu_fake_capset_find(host, capset_id))
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY;
	ctx->info.ctx_id = ctx_id;
	ctx->info.context_init = init;
	ctx->info.capset_id = capset_id;
	nlen = min_t(size_t, le32_to_cpu(c->nlen), sizeof(c->debug_name));
	memcpy(ctx->info.debug_name, c->debug_name, nlen);
	list_add_tail(&ctx->link, &host->contexts);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 vgpu_fake_ctx_destroy(struct vgpu_fake_host *host,
				 const struct virtio_gpu_ctrl_hdr *hdr)
{
	struct vgpu_fake_ctx *ctx;

	if (!vgpu_fake_has_3d(host))
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	ctx = vgpu_fake_ctx_find(host, le32_to_cpu(hdr->ctx_id));
	if (!ctx)
		return VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID;
	list_del(&ctx->link);
	kfree(ctx);
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 vgpu_fake_ctx_resource(struct vgpu_fake_host *host,
				  const struct virtio_gpu_ctrl_hdr *hdr,
				  struct vgpu_fake_req *req, bool attach)
{
	const struct virtio_gpu_ctx_resource *c =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_ctx_resource));
	struct vgpu_fake_ctx *ctx;

	if (!c || !vgpu_fake_has_3d(host))
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	ctx = vgpu_fake_ctx_find(host, le32_to_cpu(hdr->ctx_id));
	if (!ctx)
		return VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID;
	if (!vgpu_fake_res_find(host, le32_to_cpu(c->resource_id)))
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	if (attach)
		ctx->info.num_attached++;
	else if (ctx->info.num_attached)
		ctx->info.num_attached--;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 vgpu_fake_res_new(struct vgpu_fake_host *host, u32 res_id,
			     enum vgpu_fake_res_kind kind,
			     struct vgpu_fake_res **out)
{
	struct vgpu_fake_res *res;

	if (!res_id || vgpu_fake_res_find(host, res_id))
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY;
	res->info.res_id = res_id;
	res->info.kind = kind;
	list_add_tail(&res->link, &host->resources);
	*out = res;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static bool vgpu_fake_format_ok(u32 format)
{
	switch (format) {
	case VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM:
	case VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM:
	case VIRTIO_GPU_FORMAT_A8R8G8B8_UNORM:
	case VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM:
	case VIRTIO_GPU_FORMAT_R8G8B8A8_UNORM:
	case VIRTIO_GPU_FORMAT_X8B8G8R8_UNORM:
	case VIRTIO_GPU_FORMAT_A8B8G8R8_UNORM:
	case VIRTIO_GPU_FORMAT_R8G8B8X8_UNORM:
		return true;
	}
	return false;
}

static u32 vgpu_fake_create_2d(struct vgpu_fake_host *host,
			       struct vgpu_fake_req *req)
{
	const struct virtio_gpu_resource_create_2d *c =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_resource_create_2d));
	struct vgpu_fake_res *res;
	u32 ret;

	if (!c)
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	if (!vgpu_fake_format_ok(le32_to_cpu(c->format)))
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	ret = vgpu_fake_res_new(host, le32_to_cpu(c->resource_id),
				VGPU_FAKE_RES_2D, &res);
	if (ret != VIRTIO_GPU_RESP_OK_NODATA)
		return ret;
	res->info.format = le32_to_cpu(c->format);
	res->info.width = le32_to_cpu(c->width);
	res->info.height = le32_to_cpu(c->height);
	return ret;
}

static u32 vgpu_fake_create_3d(struct vgpu_fake_host *host,
			       struct vgpu_fake_req *req)
{
	const struct virtio_gpu_resource_create_3d *c =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_resource_create_3d));
	struct vgpu_fake_res *res;
	u32 ret;

	if (!c || !vgpu_fake_has_3d(host))
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	ret = vgpu_fake_res_new(host, le32_to_cpu(c->resource_id),
				VGPU_FAKE_RES_3D, &res);
	if (ret != VIRTIO_GPU_RESP_OK_NODATA)
		return ret;
	res->info.format = le32_to_cpu(c->format);
	res->info.width = le32_to_cpu(c->width);
	res->info.height = le32_to_cpu(c->height);
	return ret;
}

/* Sum the @nr mem entries that follow a command of @hdr_len bytes. */
static bool vgpu_fake_mem_entries(struct vgpu_fake_req *req, size_t hdr_len,
				  u32 nr, u64 *bytes)
{
	const struct virtio_gpu_mem_entry *e = req->out + hdr_len;
	u32 i;

	if (nr > (req->out_len - hdr_len) / sizeof(*e))
		return false;
	*bytes = 0;
	for (i = 0; i < nr; i++)
		*bytes += le32_to_cpu(e[i].length);
	return true;
}

static u32 vgpu_fake_create_blob(struct vgpu_fake_host *host,
				 const struct virtio_gpu_ctrl_hdr *hdr,
				 struct vgpu_fake_req *req)
{
	const struct virtio_gpu_resource_create_blob *c =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_resource_create_blob));
	struct vgpu_fake_res *res;
	u32 mem, nr, ret;
	u64 bytes = 0;

	if (!c || !vgpu_fake_has(host, VGPU_FAKE_F_RESOURCE_BLOB))
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	mem = le32_to_cpu(c->blob_mem);
	nr = le32_to_cpu(c->nr_entries);
	switch (mem) {
	case VIRTIO_GPU_BLOB_MEM_GUEST:
		break;
	case VIRTIO_GPU_BLOB_MEM_HOST3D:
	case VIRTIO_GPU_BLOB_MEM_HOST3D_GUEST:
		if (!vgpu_fake_has_3d(host))
			return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
		if (!vgpu_fake_ctx_find(host, le32_to_cpu(hdr->ctx_id)))
			return VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID;
		break;
	default:
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	}
	if (!vgpu_fake_mem_entries(req, sizeof(*c), nr, &bytes))
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	ret = vgpu_fake_res_new(host, le32_to_cpu(c->resource_id),
				VGPU_FAKE_RES_BLOB, &res);
	if (ret != VIRTIO_GPU_RESP_OK_NODATA)
		return ret;
	res->info.blob_mem = mem;
	res->info.blob_flags = le32_to_cpu(c->blob_flags);
	res->info.blob_id = le64_to_cpu(c->blob_id);
	res->info.size = le64_to_cpu(c->size);
	res->info.backing_entries = nr;
	res->info.backing_bytes = bytes;
	return ret;
}

/* Commands whose body starts with a resource id right after the header. */
struct vgpu_fake_res_cmd {
	struct virtio_gpu_ctrl_hdr hdr;
	__le32 resource_id;
};

static struct vgpu_fake_res *vgpu_fake_cmd_res(struct vgpu_fake_host *host,
					       struct vgpu_fake_req *req,
					       u32 *ret)
{
	const struct vgpu_fake_res_cmd *c =
		vgpu_fake_cmd(req, sizeof(struct vgpu_fake_res_cmd));
	struct vgpu_fake_res *res;

	if (!c) {
		*ret = VIRTIO_GPU_RESP_ERR_UNSPEC;
		return NULL;
	}
	res = vgpu_fake_res_find(host, le32_to_cpu(c->resource_id));
	*ret = res ? VIRTIO_GPU_RESP_OK_NODATA :
		     VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	return res;
}

static u32 vgpu_fake_assign_uuid(struct vgpu_fake_host *host,
				 struct vgpu_fake_req *req,
				 struct vgpu_fake_answer *ans)
{
	struct virtio_gpu_resp_resource_uuid *r;
	struct vgpu_fake_res *res;
	u32 ret;

	if (!vgpu_fake_has(host, VGPU_FAKE_F_RESOURCE_UUID))
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	res = vgpu_fake_cmd_res(host, req, &ret);
	if (!res)
		return ret;
	ret = vgpu_fake_answer_alloc(ans, sizeof(*r),
				     VIRTIO_GPU_RESP_OK_RESOURCE_UUID);
	if (!ans->buf)
		return ret;
	r = ans->buf;
	/* A fixed pattern that names the resource. */
	memset(r->uuid, 0x5a, sizeof(r->uuid));
	put_unaligned_le32(res->info.res_id, r->uuid);
	res->info.has_uuid = true;
	return ret;
}

static u32 vgpu_fake_attach_backing(struct vgpu_fake_host *host,
				    struct vgpu_fake_req *req)
{
	const struct virtio_gpu_resource_attach_backing *c =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_resource_attach_backing));
	struct vgpu_fake_res *res;
	u64 bytes;
	u32 ret;

	res = vgpu_fake_cmd_res(host, req, &ret);
	if (!res || !c)
		return ret;
	if (res->info.backing_entries)
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	if (!vgpu_fake_mem_entries(req, sizeof(*c),
				   le32_to_cpu(c->nr_entries), &bytes))
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	res->info.backing_entries = le32_to_cpu(c->nr_entries);
	res->info.backing_bytes = bytes;
	return ret;
}

static u32 vgpu_fake_set_scanout(struct vgpu_fake_host *host,
				 struct vgpu_fake_req *req)
{
	const struct virtio_gpu_set_scanout *c =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_set_scanout));
	u32 res_id;

	if (!c)
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	if (le32_to_cpu(c->scanout_id) >= host->cfg.num_scanouts)
		return VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID;
	res_id = le32_to_cpu(c->resource_id);
	if (res_id && !vgpu_fake_res_find(host, res_id))
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 vgpu_fake_flush(struct vgpu_fake_host *host,
			   struct vgpu_fake_req *req)
{
	const struct virtio_gpu_resource_flush *c =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_resource_flush));

	if (!c)
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	if (!vgpu_fake_res_find(host, le32_to_cpu(c->resource_id)))
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 vgpu_fake_transfer(struct vgpu_fake_host *host, u32 type,
			      struct vgpu_fake_req *req)
{
	const struct virtio_gpu_transfer_to_host_2d *c2 =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_transfer_to_host_2d));
	const struct virtio_gpu_transfer_host_3d *c3 =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_transfer_host_3d));
	struct vgpu_fake_res *res;
	u32 res_id;

	if (type == VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D) {
		if (!c2)
			return VIRTIO_GPU_RESP_ERR_UNSPEC;
		res_id = le32_to_cpu(c2->resource_id);
	} else {
		if (!c3 || !vgpu_fake_has_3d(host))
			return VIRTIO_GPU_RESP_ERR_UNSPEC;
		res_id = le32_to_cpu(c3->resource_id);
	}
	res = vgpu_fake_res_find(host, res_id);
	if (!res)
		return VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID;
	if (type == VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D)
		res->info.transfers_from_host++;
	else
		res->info.transfers_to_host++;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 vgpu_fake_submit(struct vgpu_fake_host *host,
			    const struct virtio_gpu_ctrl_hdr *hdr,
			    struct vgpu_fake_req *req)
{
	const struct virtio_gpu_cmd_submit *c =
		vgpu_fake_cmd(req, sizeof(struct virtio_gpu_cmd_submit));
	struct vgpu_fake_ctx *ctx;

	if (!c || !vgpu_fake_has_3d(host))
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	ctx = vgpu_fake_ctx_find(host, le32_to_cpu(hdr->ctx_id));
	if (!ctx)
		return VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID;
	/* The command stream follows the command, possibly cut by the copy. */
	if (le32_to_cpu(c->size) > req->out_len - sizeof(*c) &&
	    req->out_len < VGPU_FAKE_MAX_OUT)
		return VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER;
	ctx->info.submits++;
	return VIRTIO_GPU_RESP_OK_NODATA;
}

static u32 vgpu_fake_dispatch(struct vgpu_fake_host *host,
			      const struct virtio_gpu_ctrl_hdr *hdr,
			      struct vgpu_fake_req *req,
			      struct vgpu_fake_answer *ans)
{
	u32 type = le32_to_cpu(hdr->type), ret;
	struct vgpu_fake_res *res;

	switch (type) {
	case VIRTIO_GPU_CMD_GET_DISPLAY_INFO:
		return vgpu_fake_display_info(host, req, ans);
	case VIRTIO_GPU_CMD_GET_EDID:
		return vgpu_fake_get_edid(host, req, ans);
	case VIRTIO_GPU_CMD_GET_CAPSET_INFO:
		return vgpu_fake_capset_info(host, req, ans);
	case VIRTIO_GPU_CMD_GET_CAPSET:
		return vgpu_fake_get_capset(host, req, ans);
	case VIRTIO_GPU_CMD_CTX_CREATE:
		return vgpu_fake_ctx_create(host, hdr, req);
	case VIRTIO_GPU_CMD_CTX_DESTROY:
		return vgpu_fake_ctx_destroy(host, hdr);
	case VIRTIO_GPU_CMD_CTX_ATTACH_RESOURCE:
		return vgpu_fake_ctx_resource(host, hdr, req, true);
	case VIRTIO_GPU_CMD_CTX_DETACH_RESOURCE:
		return vgpu_fake_ctx_resource(host, hdr, req, false);
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_2D:
		return vgpu_fake_create_2d(host, req);
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_3D:
		return vgpu_fake_create_3d(host, req);
	case VIRTIO_GPU_CMD_RESOURCE_CREATE_BLOB:
		return vgpu_fake_create_blob(host, hdr, req);
	case VIRTIO_GPU_CMD_RESOURCE_ASSIGN_UUID:
		return vgpu_fake_assign_uuid(host, req, ans);
	case VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING:
		return vgpu_fake_attach_backing(host, req);
	case VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING:
		res = vgpu_fake_cmd_res(host, req, &ret);
		if (res) {
			res->info.backing_entries = 0;
			res->info.backing_bytes = 0;
		}
		return ret;
	case VIRTIO_GPU_CMD_RESOURCE_UNREF:
		res = vgpu_fake_cmd_res(host, req, &ret);
		if (res) {
			list_del(&res->link);
			kfree(res);
		}
		return ret;
	case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D:
	case VIRTIO_GPU_CMD_TRANSFER_TO_HOST_3D:
	case VIRTIO_GPU_CMD_TRANSFER_FROM_HOST_3D:
		return vgpu_fake_transfer(host, type, req);
	case VIRTIO_GPU_CMD_SUBMIT_3D:
		return vgpu_fake_submit(host, hdr, req);
	case VIRTIO_GPU_CMD_SET_SCANOUT:
		return vgpu_fake_set_scanout(host, req);
	case VIRTIO_GPU_CMD_SET_SCANOUT_BLOB:
		return VIRTIO_GPU_RESP_OK_NODATA;
	case VIRTIO_GPU_CMD_RESOURCE_FLUSH:
		return vgpu_fake_flush(host, req);
	default:
		/* Includes MAP_BLOB: the fake has no host-visible region. */
		return VIRTIO_GPU_RESP_ERR_UNSPEC;
	}
}

/*
 * Applies fault @what (enum vgpu_fake_misbehaviour) with @arg to the
 * response of @req, which holds at least a header. Returns whether it
 * applied: the fence faults only apply to a response that carries
 * VIRTIO_GPU_FLAG_FENCE, VGPU_FAKE_UNFENCED_WITH_FENCE only to one that
 * does not. Nothing grows the response: the bytes the device writes stay
 * within the buffer the driver gave.
 */
static bool vgpu_fake_corrupt(struct vgpu_fake_host *host,
			      struct vgpu_fake_req *req, int what, u64 arg)
{
	struct virtio_gpu_ctrl_hdr *hdr = req->resp;
	bool fenced = le32_to_cpu(hdr->flags) & VIRTIO_GPU_FLAG_FENCE;

	switch (what) {
	case VGPU_FAKE_SHORT_RESPONSE:
		req->resp_len = sizeof(*hdr) / 2;
		return true;
	case VGPU_FAKE_WRONG_TYPE:
		arg = le32_to_cpu(hdr->type) == VIRTIO_GPU_RESP_OK_NODATA ?
		      VIRTIO_GPU_RESP_OK_EDID : VIRTIO_GPU_RESP_OK_NODATA;
		fallthrough;
	case VGPU_FAKE_SET_TYPE:
		hdr->type = cpu_to_le32(lower_32_bits(arg));
		return true;
	case VGPU_FAKE_BAD_RING_IDX:
		arg = 200;
		fallthrough;
	case VGPU_FAKE_OTHER_RING:
		if (!fenced)
			return false;
		hdr->flags |= cpu_to_le32(VIRTIO_GPU_FLAG_INFO_RING_IDX);
		hdr->ring_idx = arg;
		return true;
	case VGPU_FAKE_SET_RING:
		if (arg & VGPU_FAKE_SET_RING_FLAG)
			hdr->flags |= cpu_to_le32(VIRTIO_GPU_FLAG_INFO_RING_IDX);
		else
			hdr->flags &= ~cpu_to_le32(VIRTIO_GPU_FLAG_INFO_RING_IDX);
		hdr->ring_idx = arg & 0xff;
		return true;
	case VGPU_FAKE_FUTURE_FENCE:
		arg = host->max_fence + (arg ?: VGPU_FAKE_FUTURE_GAP);
		fallthrough;
	case VGPU_FAKE_REWRITE_FENCE:
		if (!fenced)
			return false;
		hdr->fence_id = cpu_to_le64(arg);
		return true;
	case VGPU_FAKE_DROP_FENCE_FLAG:
		if (!fenced)
			return false;
		hdr->flags &= ~cpu_to_le32(VIRTIO_GPU_FLAG_FENCE);
		return true;
	case VGPU_FAKE_UNFENCED_WITH_FENCE:
		if (fenced)
			return false;
		hdr->flags |= cpu_to_le32(VIRTIO_GPU_FLAG_FENCE);
		hdr->fence_id = cpu_to_le64(arg);
		return true;
	case VGPU_FAKE_SET_CTX_ID:
		hdr->ctx_id = cpu_to_le32(lower_32_bits(arg));
		return true;
	case VGPU_FAKE_LONG_USED_LEN:
		arg = arg ?: req->in_len + 1;
		fallthrough;
	case VGPU_FAKE_SET_USED_LEN:
		/* Only the number in the used ring: the bytes stay the true ones. */
		req->used_len = lower_32_bits(arg);
		req->used_len_fault = true;
		return true;
	}
	return false;
}

/* A number from the hostile mode's PRNG below @n, which is not 0. */
static u32 vgpu_fake_rnd(struct vgpu_fake_host *host, u32 n)
{
	return prandom_u32_state(&host->hostile_rnd) % n;
}

/* One set bit of @mask, which is not 0, chosen at random. */
static u32 vgpu_fake_rnd_bit(struct vgpu_fake_host *host, u32 mask)
{
	u32 skip = vgpu_fake_rnd(host, hweight32(mask));

	while (skip--)
		mask &= mask - 1;
	return mask & -mask;
}

/* A response type: a success, an error, or garbage (near them or not). */
static u32 vgpu_fake_hostile_type(struct vgpu_fake_host *host)
{
	static const u32 garbage[] = {
		0, VIRTIO_GPU_RESP_OK_MAP_INFO + 1, VIRTIO_GPU_RESP_ERR_UNSPEC - 1,
		VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER + 1, 0x1300, U32_MAX,
	};

	switch (vgpu_fake_rnd(host, 4)) {
	case 0:
		return VIRTIO_GPU_RESP_OK_NODATA +
		       vgpu_fake_rnd(host, VIRTIO_GPU_RESP_OK_MAP_INFO -
					   VIRTIO_GPU_RESP_OK_NODATA + 1);
	case 1:
		return VIRTIO_GPU_RESP_ERR_UNSPEC +
		       vgpu_fake_rnd(host, VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER -
					   VIRTIO_GPU_RESP_ERR_UNSPEC + 1);
	case 2:
		return garbage[vgpu_fake_rnd(host, ARRAY_SIZE(garbage))];
	default:
		return prandom_u32_state(&host->hostile_rnd);
	}
}

/* A used length: 0, 1, less than a header, past the buffer, or huge. */
static u32 vgpu_fake_hostile_used_len(struct vgpu_fake_host *host,
				      const struct vgpu_fake_req *req)
{
	const u32 hdr = sizeof(struct virtio_gpu_ctrl_hdr);

	switch (vgpu_fake_rnd(host, 5)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 2 + vgpu_fake_rnd(host, hdr - 2);
	case 3:
		return req->in_len + 1 + vgpu_fake_rnd(host, PAGE_SIZE);
	default:
		return U32_MAX - vgpu_fake_rnd(host, 16);
	}
}

/* A fence id: 0, @id plus or minus a little, 2^32 or more, or U64_MAX. */
static u64 vgpu_fake_hostile_fence_id(struct vgpu_fake_host *host, u64 id)
{
	switch (vgpu_fake_rnd(host, 5)) {
	case 0:
		return 0;
	case 1:
		return id + 1 + vgpu_fake_rnd(host, 4);
	case 2:
		return id - 1 - vgpu_fake_rnd(host, 4);
	case 3:
		return BIT_ULL(32 + vgpu_fake_rnd(host, 32)) + vgpu_fake_rnd(host, 4);
	default:
		return U64_MAX;
	}
}

/* A ctx_id: 0, @ctx_id plus or minus a little, or random. */
static u32 vgpu_fake_hostile_ctx_id(struct vgpu_fake_host *host, u32 ctx_id)
{
	switch (vgpu_fake_rnd(host, 4)) {
	case 0:
		return 0;
	case 1:
		return ctx_id + 1 + vgpu_fake_rnd(host, 2);
	case 2:
		return ctx_id - 1;
	default:
		return prandom_u32_state(&host->hostile_rnd);
	}
}

/* A payload word: 0, U32_MAX, a power of two or a neighbour, or random. */
static u32 vgpu_fake_hostile_word(struct vgpu_fake_host *host)
{
	u32 pow = BIT(vgpu_fake_rnd(host, 32));

	switch (vgpu_fake_rnd(host, 6)) {
	case 0:
		return 0;
	case 1:
		return U32_MAX;
	case 2:
		return pow;
	case 3:
		return pow - 1;
	case 4:
		return pow + 1;
	default:
		return prandom_u32_state(&host->hostile_rnd);
	}
}

/*
 * Rewrites words of the payload after the header, each with even odds and
 * at least one. Only whole words within the response, which fits the
 * driver's buffer. Returns false when the response has no payload word.
 */
static bool vgpu_fake_hostile_body(struct vgpu_fake_host *host,
				   struct vgpu_fake_req *req)
{
	const size_t hdr = sizeof(struct virtio_gpu_ctrl_hdr);
	size_t words, i;
	bool any = false;

	if (req->resp_len < hdr + sizeof(u32))
		return false;
	words = (req->resp_len - hdr) / sizeof(u32);
	for (i = 0; i < words; i++) {
		if (vgpu_fake_rnd(host, 2))
			continue;
		put_unaligned_le32(vgpu_fake_hostile_word(host),
				   req->resp + hdr + i * sizeof(u32));
		any = true;
	}
	if (!any)
		put_unaligned_le32(vgpu_fake_hostile_word(host), req->resp + hdr +
				   vgpu_fake_rnd(host, words) * sizeof(u32));
	return true;
}

/*
 * The hostile mode (vgpu_fake_host_hostile()): corrupts the response of
 * @req at the mode's rate, with some of its knobs. A fault injector, not
 * any host's behaviour; every field goes through vgpu_fake_corrupt() but
 * the payload.
 */
static void vgpu_fake_hostile(struct vgpu_fake_host *host,
			      struct vgpu_fake_req *req)
{
	const struct virtio_gpu_ctrl_hdr *rq = vgpu_fake_cmd(req, sizeof(*rq));
	struct virtio_gpu_ctrl_hdr *hdr = req->resp;
	u32 all = host->hostile.knobs, knobs, ctx_id;
	bool done = false;
	u64 id;

	if (!all || vgpu_fake_rnd(host, 100) >= host->hostile.rate_pct)
		return;
	ctx_id = rq ? le32_to_cpu(rq->ctx_id) : 0;
	knobs = all & prandom_u32_state(&host->hostile_rnd);
	if (!knobs)
		knobs = vgpu_fake_rnd_bit(host, all);

	if (knobs & VGPU_FAKE_HOSTILE_TYPE)
		done |= vgpu_fake_corrupt(host, req, VGPU_FAKE_SET_TYPE,
					  vgpu_fake_hostile_type(host));
	if (knobs & VGPU_FAKE_HOSTILE_USED_LEN)
		done |= vgpu_fake_corrupt(host, req, VGPU_FAKE_SET_USED_LEN,
					  vgpu_fake_hostile_used_len(host, req));
	if (knobs & VGPU_FAKE_HOSTILE_CTX_ID)
		done |= vgpu_fake_corrupt(host, req, VGPU_FAKE_SET_CTX_ID,
					  vgpu_fake_hostile_ctx_id(host, ctx_id));
	if (knobs & VGPU_FAKE_HOSTILE_RING)
		done |= vgpu_fake_corrupt(host, req, VGPU_FAKE_SET_RING,
					  (vgpu_fake_rnd(host, 2) ? VGPU_FAKE_SET_RING_FLAG : 0) |
					  vgpu_fake_rnd(host, 256));
	/* An unfenced answer claims an id near the newest fence, maybe pending. */
	if (knobs & VGPU_FAKE_HOSTILE_FENCE_FLAG) {
		id = vgpu_fake_hostile_fence_id(host, host->max_fence);
		done |= vgpu_fake_corrupt(host, req, VGPU_FAKE_DROP_FENCE_FLAG, 0) ||
			vgpu_fake_corrupt(host, req, VGPU_FAKE_UNFENCED_WITH_FENCE, id);
	}
	if (knobs & VGPU_FAKE_HOSTILE_FENCE_ID) {
		id = le64_to_cpu(hdr->fence_id) ?: host->max_fence;
		done |= vgpu_fake_corrupt(host, req, VGPU_FAKE_REWRITE_FENCE,
					  vgpu_fake_hostile_fence_id(host, id));
	}
	if (knobs & VGPU_FAKE_HOSTILE_BODY)
		done |= vgpu_fake_hostile_body(host, req);
	if (done)
		host->corrupted++;
}

/*
 * Applies fence id truncation, an armed misbehaviour and the hostile mode,
 * in that order, then returns @req.
 */
void vgpu_fake_deliver(struct vgpu_fake_host *host,
		       struct vgpu_fake_req *req)
{
	struct virtio_gpu_ctrl_hdr *hdr = req->resp;
	u32 type;

	if (req->resp_len < sizeof(*hdr)) {
		vgpu_fake_transport_return(host, req);
		return;
	}
	if (host->cfg.truncate_fence_ids)
		hdr->fence_id =
			cpu_to_le64(lower_32_bits(le64_to_cpu(hdr->fence_id)));

	if (host->bad_next >= 0 &&
	    vgpu_fake_corrupt(host, req, host->bad_next, host->bad_arg))
		host->bad_next = -1;
	vgpu_fake_hostile(host, req);

	type = le32_to_cpu(hdr->type);
	if (((type >> 8) == 0x11 || (type >> 8) == 0x12) && (type & 0xff) < 16)
		host->resp_counts[(type >> 8) - 0x11][type & 0xf]++;
	vgpu_fake_transport_return(host, req);
}

/**
 * vgpu_fake_hash_more() - go on hashing
 * @h: the hash so far, VGPU_FAKE_HASH_INIT to start
 * @data: more bytes
 * @len: their length
 *
 * Return: the hash of everything so far.
 */
u64 vgpu_fake_hash_more(u64 h, const void *data, size_t len)
{
	const u8 *p = data;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

/**
 * vgpu_fake_hash() - the hash the device keeps of what it read
 * @data: bytes
 * @len: their length
 *
 * 64-bit FNV-1a over every byte the device read of a command, payload
 * included, not only the part it keeps: lets a test check all of it
 * against what the driver meant to send.
 *
 * Return: the hash.
 */
u64 vgpu_fake_hash(const void *data, size_t len)
{
	return vgpu_fake_hash_more(VGPU_FAKE_HASH_INIT, data, len);
}

static void vgpu_fake_record(struct vgpu_fake_host *host, u32 type,
			     const void *cmd, size_t len)
{
	unsigned int slot = vgpu_fake_slot(type);
	void *copy;

	host->counts[slot]++;
	len = min_t(size_t, len, VGPU_FAKE_LAST_CMD_MAX);
	copy = kmemdup(cmd, len, GFP_KERNEL);
	if (!copy)
		return;
	kfree(host->last_cmd[slot]);
	host->last_cmd[slot] = copy;
	host->last_cmd_len[slot] = len;
}

/**
 * vgpu_fake_host_execute() - execute one request taken from a queue
 * @host: the fake device, its lock held
 * @req: the request; owned by the host from now on
 *
 * Cursor requests are consumed and returned at once. A control command is
 * executed (or failed as scripted), its response built with the header
 * fields echoed, and the request either returned at once or parked on its
 * fence timeline.
 */
void vgpu_fake_host_execute(struct vgpu_fake_host *host,
			    struct vgpu_fake_req *req)
{
	const struct virtio_gpu_ctrl_hdr *hdr = req->out;
	struct vgpu_fake_answer ans = {};
	struct virtio_gpu_ctrl_hdr *rh;
	struct vgpu_fake_timeline *tl;
	u32 type, flags;

	lockdep_assert_held(&host->lock);
	if (req->out_len < sizeof(*hdr)) {
		vgpu_fake_record(host, 0, req->out, req->out_len);
		ans.type = VIRTIO_GPU_RESP_ERR_UNSPEC;
		hdr = NULL;
		goto respond;
	}
	type = le32_to_cpu(hdr->type);
	vgpu_fake_record(host, type, req->out, req->out_len);
	host->last_pieces[vgpu_fake_slot(type)] = req->nout;
	host->last_hash[vgpu_fake_slot(type)] = req->out_hash;
	host->last_out_len[vgpu_fake_slot(type)] = req->out_total;
	if (req->qidx == VGPU_FAKE_CURSORQ) {
		vgpu_fake_transport_return(host, req);
		return;
	}

	if (host->fail_err && (!host->fail_type || host->fail_type == type)) {
		ans.type = host->fail_err;
		host->fail_err = 0;
	} else {
		ans.type = vgpu_fake_dispatch(host, hdr, req, &ans);
	}

respond:
	/* Errors and OK_NODATA carry the header only. */
	if (ans.type == VIRTIO_GPU_RESP_OK_NODATA ||
	    ans.type >= VIRTIO_GPU_RESP_ERR_UNSPEC) {
		kfree(ans.buf);
		ans.buf = NULL;
		ans.len = 0;
	}
	if (!ans.buf || ans.len > req->in_len) {
		if (ans.buf)
			ans.type = VIRTIO_GPU_RESP_ERR_UNSPEC;
		kfree(ans.buf);
		ans.buf = kzalloc(sizeof(*rh), GFP_KERNEL);
		ans.len = sizeof(*rh);
		if (!ans.buf) {
			/* Nothing to answer with: return an empty buffer. */
			ans.len = 0;
			vgpu_fake_transport_return(host, req);
			return;
		}
	}
	rh = ans.buf;
	rh->type = cpu_to_le32(ans.type);
	req->resp = ans.buf;
	req->resp_len = ans.len;
	if (!hdr) {
		vgpu_fake_deliver(host, req);
		return;
	}

	flags = le32_to_cpu(hdr->flags);
	if (!(flags & VIRTIO_GPU_FLAG_FENCE)) {
		vgpu_fake_deliver(host, req);
		return;
	}
	/*
	 * What the response echoes: see enum vgpu_fake_personality. The spec
	 * asks for the fence flag and id only (device-types/gpu/description.tex,
	 * "Device Operation: Request header"); both real hosts echo ctx_id too.
	 */
	rh->flags = cpu_to_le32(VIRTIO_GPU_FLAG_FENCE);
	rh->fence_id = hdr->fence_id;
	if (host->cfg.personality != VGPU_FAKE_HOST_SPEC)
		rh->ctx_id = hdr->ctx_id;
	if (host->cfg.personality == VGPU_FAKE_HOST_CROSVM) {
		rh->flags = cpu_to_le32(flags & (VIRTIO_GPU_FLAG_FENCE |
						 VIRTIO_GPU_FLAG_INFO_RING_IDX));
		rh->ring_idx = hdr->ring_idx;
	}
	req->fence_id = le64_to_cpu(hdr->fence_id);
	/* The timeline is the request's, whatever the response says. */
	if (flags & VIRTIO_GPU_FLAG_INFO_RING_IDX) {
		tl = vgpu_fake_tl_get(host, VGPU_FAKE_RING(le32_to_cpu(hdr->ctx_id),
							   hdr->ring_idx), true);
	} else {
		tl = vgpu_fake_tl_get(host, VGPU_FAKE_GLOBAL, true);
	}
	host->max_fence = max(host->max_fence, req->fence_id);
	if (!tl) {
		vgpu_fake_deliver(host, req);
		return;
	}
	tl->last_seen = req->fence_id;
	/*
	 * QEMU answers a fenced command that fails at once, before it makes
	 * the command's fence (hw/display/virtio-gpu-virgl.c,
	 * virtio_gpu_virgl_process_cmd(): "if (cmd->error)" answers and
	 * returns); crosvm makes the fence first and holds every answer. The
	 * spec only asks for the answer once processing is complete, which
	 * it is for a command that failed: the spec device answers as QEMU.
	 */
	if ((host->cfg.personality == VGPU_FAKE_HOST_QEMU ||
	     host->cfg.personality == VGPU_FAKE_HOST_SPEC) &&
	    ans.type >= VIRTIO_GPU_RESP_ERR_UNSPEC) {
		vgpu_fake_deliver(host, req);
		return;
	}
	if (tl->held || tl->num_parked) {
		list_add_tail(&req->link, &tl->parked);
		tl->num_parked++;
		return;
	}
	vgpu_fake_deliver(host, req);
}

/**
 * vgpu_fake_host_drop_pending() - forget every parked response
 * @host: the fake device, its lock held
 *
 * The parked buffers are never returned to the driver, as after a virtio
 * reset. Requests still in flight become stale.
 */
void vgpu_fake_host_drop_pending(struct vgpu_fake_host *host)
{
	struct vgpu_fake_timeline *tl;
	struct vgpu_fake_req *req, *n;

	lockdep_assert_held(&host->lock);
	host->gen++;
	list_for_each_entry(tl, &host->timelines, link) {
		list_for_each_entry_safe(req, n, &tl->parked, link) {
			list_del(&req->link);
			vgpu_fake_req_free(req);
		}
		tl->num_parked = 0;
	}
}

/**
 * vgpu_fake_host_forget_objects() - drop every host context and resource
 * @host: the fake device, its lock held
 *
 * A device reset loses them on a real host too; the driver has to create
 * them again.
 */
void vgpu_fake_host_forget_objects(struct vgpu_fake_host *host)
{
	struct vgpu_fake_ctx *ctx, *cn;
	struct vgpu_fake_res *res, *rn;

	lockdep_assert_held(&host->lock);
	list_for_each_entry_safe(ctx, cn, &host->contexts, link) {
		list_del(&ctx->link);
		kfree(ctx);
	}
	list_for_each_entry_safe(res, rn, &host->resources, link) {
		list_del(&res->link);
		kfree(res);
	}
}

/**
 * vgpu_fake_host_free_model() - free the host model of a fake device
 * @host: the fake device, no longer on the bus
 */
void vgpu_fake_host_free_model(struct vgpu_fake_host *host)
{
	struct vgpu_fake_timeline *tl, *tn;
	unsigned int i;

	mutex_lock(&host->lock);
	vgpu_fake_host_drop_pending(host);
	vgpu_fake_host_forget_objects(host);
	mutex_unlock(&host->lock);
	list_for_each_entry_safe(tl, tn, &host->timelines, link) {
		list_del(&tl->link);
		kfree(tl);
	}
	for (i = 0; i < VGPU_FAKE_CMD_SLOTS; i++)
		kfree(host->last_cmd[i]);
	for (i = 0; i < VGPU_FAKE_MAX_CAPSETS; i++)
		kfree(host->capset_data[i]);
}

/* Called with the device side stopped. */
static void vgpu_fake_host_check_dma(struct vgpu_fake_host *host)
{
	KUNIT_EXPECT_EQ_MSG(host->test, host->dma_faults, 0,
			    "the driver gave the device addresses that are not guest RAM");
}

static void vgpu_fake_host_destroy(struct vgpu_fake_host *host)
{
	if (!host->dev_initialized) {
		vgpu_fake_transport_stop(host);
		vgpu_fake_host_check_dma(host);
		vgpu_fake_host_free_model(host);
		kfree(host);
		return;
	}
	get_device(&host->vdev.dev);
	if (!host->registered)
		put_device(&host->vdev.dev);	/* the failed registration's */
	vgpu_fake_transport_stop(host);
	vgpu_fake_host_check_dma(host);
	/* The release function frees the model and @host. */
	put_device(&host->vdev.dev);
}

KUNIT_DEFINE_ACTION_WRAPPER(vgpu_fake_host_destroy_action,
			    vgpu_fake_host_destroy, struct vgpu_fake_host *);

/**
 * vgpu_fake_host_default_config() - fill in the default configuration
 * @cfg: configuration to fill in, owned by the caller
 *
 * VERSION_1 and EDID, one scanout, no capsets, a control queue of
 * VGPU_FAKE_CTRL_QUEUE_SIZE entries, 64-bit fence ids.
 */
void vgpu_fake_host_default_config(struct vgpu_fake_host_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->features = VGPU_FAKE_F_VERSION_1 | VGPU_FAKE_F_EDID;
	cfg->num_scanouts = 1;
	cfg->ctrl_queue_size = VGPU_FAKE_CTRL_QUEUE_SIZE;
}

#define VGPU_FAKE_PERSONALITY_RES "vgpu-fake-personality"

static int vgpu_fake_suite_init(struct kunit *test, enum vgpu_fake_personality p)
{
	struct kunit_resource *res = kunit_kzalloc(test, sizeof(*res), GFP_KERNEL);

	if (!res)
		return -ENOMEM;
	return kunit_add_named_resource(test, NULL, NULL, res,
					VGPU_FAKE_PERSONALITY_RES,
					(void *)(uintptr_t)p);
}

/**
 * vgpu_fake_suite_init_qemu() - suite init: fake devices answer as QEMU
 * @test: the test about to run
 *
 * Use as &kunit_suite.init. Devices whose configuration leaves
 * &vgpu_fake_host_config.personality at %VGPU_FAKE_HOST_SUITE answer as
 * %VGPU_FAKE_HOST_QEMU.
 *
 * Return: 0 or -ENOMEM.
 */
int vgpu_fake_suite_init_qemu(struct kunit *test)
{
	return vgpu_fake_suite_init(test, VGPU_FAKE_HOST_QEMU);
}

/**
 * vgpu_fake_suite_init_crosvm() - suite init: fake devices answer as crosvm
 * @test: the test about to run
 *
 * As vgpu_fake_suite_init_qemu(), for %VGPU_FAKE_HOST_CROSVM.
 *
 * Return: 0 or -ENOMEM.
 */
int vgpu_fake_suite_init_crosvm(struct kunit *test)
{
	return vgpu_fake_suite_init(test, VGPU_FAKE_HOST_CROSVM);
}

/**
 * vgpu_fake_suite_init_spec() - suite init: fake devices answer as the spec
 * @test: the test about to run
 *
 * As vgpu_fake_suite_init_qemu(), for %VGPU_FAKE_HOST_SPEC: the device
 * does what the virtio-gpu specification requires of a response and no
 * more.
 *
 * Return: 0 or -ENOMEM.
 */
int vgpu_fake_suite_init_spec(struct kunit *test)
{
	return vgpu_fake_suite_init(test, VGPU_FAKE_HOST_SPEC);
}

static enum vgpu_fake_personality vgpu_fake_suite_personality(struct kunit *test)
{
	enum vgpu_fake_personality p = VGPU_FAKE_HOST_QEMU;
	struct kunit_resource *res;

	res = kunit_find_named_resource(test, VGPU_FAKE_PERSONALITY_RES);
	if (res) {
		p = (uintptr_t)res->data;
		kunit_put_resource(res);
	}
	return p;
}

/**
 * vgpu_fake_host_create_unregistered() - create a fake device, not on the bus
 * @test: the test that owns the device
 * @cfg: configuration, or NULL for vgpu_fake_host_default_config(); copied,
 *	capset data included
 *
 * Lets a test script the host (holds, faults) before any driver sees the
 * device; vgpu_fake_host_register() then puts it on the virtio bus. Fails
 * the test on error.
 *
 * Return: the device. KUnit owns it: a deferred action registered here
 * unbinds the driver, stops the device side and frees everything at the
 * end of the test.
 */
struct vgpu_fake_host *
vgpu_fake_host_create_unregistered(struct kunit *test,
				   const struct vgpu_fake_host_config *cfg)
{
	struct vgpu_fake_host *host;
	unsigned int i;
	int ret;

	host = kzalloc(sizeof(*host), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, host);
	mutex_init(&host->lock);
	init_waitqueue_head(&host->wait);
	INIT_LIST_HEAD(&host->timelines);
	INIT_LIST_HEAD(&host->contexts);
	INIT_LIST_HEAD(&host->resources);
	host->bad_next = -1;
	host->test = test;
	ret = kunit_add_action_or_reset(test, vgpu_fake_host_destroy_action,
					host);
	KUNIT_ASSERT_EQ(test, ret, 0);

	if (cfg)
		host->cfg = *cfg;
	else
		vgpu_fake_host_default_config(&host->cfg);
	if (!host->cfg.ctrl_queue_size)
		host->cfg.ctrl_queue_size = VGPU_FAKE_CTRL_QUEUE_SIZE;
	if (host->cfg.personality == VGPU_FAKE_HOST_SUITE)
		host->cfg.personality = vgpu_fake_suite_personality(test);
	KUNIT_ASSERT_TRUE(test, is_power_of_2(host->cfg.ctrl_queue_size));
	KUNIT_ASSERT_LE(test, host->cfg.num_capsets, VGPU_FAKE_MAX_CAPSETS);
	KUNIT_ASSERT_LE(test, host->cfg.num_scanouts, VIRTIO_GPU_MAX_SCANOUTS);
	for (i = 0; i < host->cfg.num_capsets; i++) {
		struct vgpu_fake_capset *cs = &host->cfg.capsets[i];

		if (!cs->data || !cs->data_len)
			continue;
		host->capset_data[i] = kmemdup(cs->data, cs->data_len,
					       GFP_KERNEL);
		KUNIT_ASSERT_NOT_NULL(test, host->capset_data[i]);
		cs->data = host->capset_data[i];
	}
	host->gpu_config.num_scanouts = cpu_to_le32(host->cfg.num_scanouts);
	host->gpu_config.num_capsets = cpu_to_le32(host->cfg.num_capsets);

	ret = vgpu_fake_transport_init(host);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return host;
}

/**
 * vgpu_fake_host_register() - put a fake device on the virtio bus
 * @host: device from vgpu_fake_host_create_unregistered()
 *
 * A built-in virtio-gpu driver probes it before this returns; a failed
 * probe is not an error here (see vgpu_fake_host_bound()). Cleanup stays
 * with the action registered at creation.
 *
 * Return: 0, or the error of register_virtio_device().
 */
int vgpu_fake_host_register(struct vgpu_fake_host *host)
{
	host->dev_initialized = true;
	return vgpu_fake_transport_register(host);
}

/**
 * vgpu_fake_host_create() - create a fake device and let a driver probe it
 * @test: the test that owns the device
 * @cfg: configuration, or NULL for vgpu_fake_host_default_config(); copied
 *
 * vgpu_fake_host_create_unregistered() plus vgpu_fake_host_register(). The
 * device is returned whether or not a driver bound; vgpu_fake_host_bound()
 * tells. Fails the test on error.
 *
 * Return: the device. KUnit owns it and tears it down at the end of the
 * test (the driver is unbound first).
 */
struct vgpu_fake_host *
vgpu_fake_host_create(struct kunit *test,
		      const struct vgpu_fake_host_config *cfg)
{
	struct vgpu_fake_host *host;

	host = vgpu_fake_host_create_unregistered(test, cfg);
	KUNIT_ASSERT_EQ(test, vgpu_fake_host_register(host), 0);
	return host;
}
