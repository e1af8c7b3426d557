// Spins forever in synchronous JavaScript: the inspector test expects the loop on line 10.
// With the argument `ignore-sigusr1` it first installs a SIGUSR1 listener, which in Node 20
// replaces the signal's default action of starting the inspector.
if (process.argv.includes('ignore-sigusr1')) process.on('SIGUSR1', () => {});

process.stdout.write('ready\n');

function spinForever() {
  let turns = 0;
  for (;;) turns++;
}

spinForever();
