// Reserves stock; called over HTTP by payments. Orders whose id starts with "fail-" are out of stock.
const reserved = new Map();

module.exports = {
  main: async function (event) {
    const { id, item, quantity } = event.data || {};
    if (String(id).startsWith('fail-')) {
      event.extensions.response.status(409);
      return { id, error: `${item} is out of stock` };
    }
    reserved.set(item, (reserved.get(item) || 0) + (quantity || 1));
    return { id, item, reserved: reserved.get(item) };
  },
};
