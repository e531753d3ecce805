// Takes an order over HTTP and announces it as order.created.v1 (source: shop).
module.exports = {
  main: async function (event) {
    const order = event.data && typeof event.data === 'object' ? event.data : {};
    const id = order.id || `o-${Date.now()}`;
    await event.emitCloudEvent('order.created.v1', 'shop', { id, item: order.item || 'book', quantity: order.quantity || 1 });
    console.log(`order ${id} accepted`);
    return { id, status: 'accepted' };
  },
};
