import { DuckDBInstance } from '@duckdb/node-api';
const db = await DuckDBInstance.create(':memory:'); const c = await db.connect();
for (const s of process.argv.slice(2)) { try { process.stdout.write(s + ' => ' + JSON.stringify((await c.runAndReadAll(s)).getRowsJS(), (k,v)=>typeof v==='bigint'?v.toString()+'n':v) + '\n'); } catch(e) { process.stdout.write(s + ' ERR ' + e.message.split('\n')[0] + '\n'); } }
