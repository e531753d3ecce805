module.exports = {
  main: async function (event) {
    const name = (event.data && event.data.name) || 'world';
    console.log(`greeting ${name}`);
    return { message: `Hello, ${name}!` };
  },
};
