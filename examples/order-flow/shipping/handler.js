// Ships paid orders.
module.exports = {
  main: async function (event) {
    console.log(`shipping order ${event.data.id}`);
    return 'shipped';
  },
};
