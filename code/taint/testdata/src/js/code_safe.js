module.exports.handler = async (event) => {
  for (const record of event.Records) {
    const msg = JSON.parse(record.body);
    const total = Number(msg.a) + Number(msg.b);
    return { total };
  }
};
