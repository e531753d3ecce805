// Charges an order once inventory (reached by its cluster DNS name) has reserved the item, then announces order.paid.v1.
const INVENTORY = 'http://inventory.default.svc.cluster.local/reserve';

module.exports = {
  main: async function (event) {
    const order = event.data;
    const res = await fetch(INVENTORY, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: order.id, item: order.item, quantity: order.quantity }),
    });
    if (!res.ok) throw new Error(`inventory refused order ${order.id}: ${res.status} ${await res.text()}`);
    await event.emitCloudEvent('order.paid.v1', 'shop', { id: order.id, amount: 12.5 * (order.quantity || 1) });
    console.log(`order ${order.id} paid`);
    return 'paid';
  },
};
