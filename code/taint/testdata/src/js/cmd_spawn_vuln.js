import { spawn } from 'node:child_process';

export const handler = async (event) => {
  const { name } = JSON.parse(event.body);
  spawn('tar', ['czf', name], { shell: true });
};
